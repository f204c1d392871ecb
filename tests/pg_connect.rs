//! Reaching PostgreSQL as its users run it: TLS under each `sslmode`, passwords from where
//! `psql` takes them, libpq's environment completing an address, an address without a
//! database, and servers that are starting, stopping or in recovery. Each test starts a server
//! of its own where the shared one will not do (see `common::pg`).

#![allow(clippy::unwrap_used, reason = "a test fails loudly by design")]

mod common;

use std::path::Path;

use common::pg::{OwnServer, Setup};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

/// A certificate authority and a server certificate it signed for `localhost` alone.
struct Certificates {
    ca: String,
    other_ca: String,
    server_cert: String,
    server_key: String,
}

fn certificates() -> Certificates {
    let authority = |name: &str| {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        rcgen::CertifiedIssuer::self_signed(params, rcgen::KeyPair::generate().unwrap()).unwrap()
    };
    let ca = authority("attache test authority");
    let other_ca = authority("another authority");
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    Certificates {
        ca: ca.pem(),
        other_ca: other_ca.pem(),
        server_cert: server.pem(),
        server_key: key.serialize_pem(),
    }
}

/// `attache list` on `address` with the given environment, HOME in `home`.
fn list(home: &Path, address: &str, env: &[(&str, &str)]) -> assert_cmd::Command {
    let mut cmd = common::attache();
    cmd.env("HOME", home).args(["--db", address, "list"]);
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd
}

/// The server takes connections over TLS only (`hostnossl … reject`), so a connection that
/// works went through TLS.
#[test]
fn tls_is_used_and_checked_as_sslmode_says() {
    let certs = certificates();
    let Some(server) = OwnServer::start(Setup {
        conf: "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'",
        hba: Some(
            "local all all trust\n\
             hostssl all all 127.0.0.1/32 trust\n\
             hostnossl all all 127.0.0.1/32 reject\n",
        ),
        files: vec![
            ("server.crt", certs.server_cert.clone().into_bytes()),
            ("server.key", certs.server_key.clone().into_bytes()),
        ],
        ..Setup::default()
    }) else {
        return;
    };
    server
        .client("postgres")
        .batch_execute("CREATE DATABASE attache")
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let ca = home.path().join("ca.pem");
    let other = home.path().join("other.pem");
    std::fs::write(&ca, &certs.ca).unwrap();
    std::fs::write(&other, &certs.other_ca).unwrap();
    let port = server.port;
    let at = |host: &str, params: &str| format!("postgres://attache@{host}:{port}/attache{params}");
    let root = |mode: &str, file: &Path| format!("?sslmode={mode}&sslrootcert={}", file.display());
    let works = |address: String, env: &[(&str, &str)]| {
        list(home.path(), &address, env).assert().success();
    };
    let refused = |address: String, env: &[(&str, &str)], why: &str| {
        list(home.path(), &address, env)
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains(why));
    };

    refused(at("127.0.0.1", "?sslmode=disable"), &[], "no encryption");
    works(at("127.0.0.1", ""), &[]);
    works(at("127.0.0.1", "?sslmode=require"), &[]);
    // require with a root certificate checks the chain, as verify-ca does.
    refused(
        at("127.0.0.1", &root("require", &other)),
        &[],
        "the server's certificate does not pass sslmode=require: it is not signed by a trusted \
         authority",
    );
    works(at("127.0.0.1", &root("require", &ca)), &[]);
    works(at("localhost", &root("verify-full", &ca)), &[]);
    refused(
        at("localhost", &root("verify-full", &other)),
        &[],
        &format!(
            "(checked against the root certificate in {})",
            other.display()
        ),
    );
    // The certificate names localhost, not 127.0.0.1: verify-ca takes it, verify-full does not.
    refused(
        at("127.0.0.1", &root("verify-full", &ca)),
        &[],
        "it is made out to localhost, not to the host name 127.0.0.1",
    );
    works(at("127.0.0.1", &root("verify-ca", &ca)), &[]);
    refused(
        at("127.0.0.1", &root("verify-ca", &other)),
        &[],
        "does not pass sslmode=verify-ca",
    );
    refused(
        at("localhost", "?sslmode=verify-full"),
        &[],
        "checks the server's certificate against a root certificate, and none was given",
    );
    refused(
        at("localhost", "?sslmode=verify-full&sslrootcert=/no/such.pem"),
        &[],
        "the root certificate file /no/such.pem (sslrootcert) does not exist",
    );

    // libpq's variables and its default root certificate file.
    let ca_path = ca.to_str().unwrap();
    let other_path = other.to_str().unwrap();
    works(
        at("localhost", ""),
        &[("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", ca_path)],
    );
    refused(
        at("localhost", ""),
        &[("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", other_path)],
        "does not pass sslmode=verify-full",
    );
    works(
        at("localhost", "?sslmode=require"),
        &[("PGSSLMODE", "verify-full")],
    );
    // The system's authorities, for which SSL_CERT_FILE stands in here; verify-full by default.
    works(
        at("localhost", "?sslrootcert=system"),
        &[("SSL_CERT_FILE", ca_path)],
    );
    refused(
        at("localhost", "?sslrootcert=system"),
        &[("SSL_CERT_FILE", other_path)],
        "does not pass sslmode=verify-full: it is not signed by a trusted authority (checked \
         against the system's trusted authorities)",
    );
    refused(
        at("127.0.0.1", "?sslrootcert=system"),
        &[("SSL_CERT_FILE", ca_path)],
        "it is made out to localhost, not to the host name 127.0.0.1",
    );
    let default_root = home.path().join(".postgresql/root.crt");
    std::fs::create_dir_all(default_root.parent().unwrap()).unwrap();
    std::fs::write(&default_root, &certs.other_ca).unwrap();
    refused(
        at("127.0.0.1", "?sslmode=require"),
        &[],
        &format!(
            "checked against the root certificate in {}",
            default_root.display()
        ),
    );
    std::fs::write(&default_root, &certs.ca).unwrap();
    works(at("127.0.0.1", "?sslmode=require"), &[]);
    works(at("localhost", "?sslmode=verify-full"), &[]);
}

#[test]
fn a_server_without_tls_refuses_require() {
    let Some(server) = OwnServer::start(Setup::default()) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let address = format!("postgres://attache@127.0.0.1:{}/postgres", server.port);
    let no_tls = "the server does not offer TLS, which sslmode=require requires";
    list(home.path(), &format!("{address}?sslmode=require"), &[])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(no_tls));
    list(home.path(), &address, &[("PGSSLMODE", "require")])
        .assert()
        .code(1)
        .stderr(contains(no_tls));
    // The address's sslmode wins over the environment's; prefer does without TLS.
    list(
        home.path(),
        &format!("{address}?sslmode=disable"),
        &[("PGSSLMODE", "require")],
    )
    .assert()
    .success();
    list(home.path(), &format!("{address}?sslmode=prefer"), &[])
        .assert()
        .success();
}

#[test]
fn a_password_comes_from_where_psql_takes_it() {
    let password = "pa:ss\\word";
    let Some(server) = OwnServer::start(Setup {
        hba: Some("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"),
        password: Some(password),
        ..Setup::default()
    }) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let port = server.port;
    let address = format!("postgres://attache@127.0.0.1:{port}/postgres");
    let pgpass = home.path().join(".pgpass");
    let run = |address: &str, env: &[(&str, &str)]| list(home.path(), address, env).assert();

    run(&address, &[])
        .code(1)
        .stdout("")
        .stderr(contains(format!(
            "postgres://attache@127.0.0.1:{port}/postgres: cannot open the database: the server \
             asks for a password for attache, and none was given: put it in {} (a line \
             HOST:PORT:DATABASE:USER:PASSWORD, readable by you alone), in PGPASSWORD, or in the \
             address",
            pgpass.display()
        )))
        .stderr(contains("invalid configuration").not());
    run(&address, &[("PGPASSWORD", password)]).success();
    run(
        &format!("postgres://attache:wrong-one@127.0.0.1:{port}/postgres"),
        &[("PGPASSWORD", password)],
    )
    .code(1)
    .stderr(contains(
        "password authentication failed for user \"attache\"; the password came from the address",
    ))
    .stderr(contains("wrong-one").not());
    run(&address, &[("PGPASSWORD", "wrong-two")])
        .code(1)
        .stderr(contains("the password came from PGPASSWORD"))
        .stderr(contains("wrong-two").not());

    let write = |path: &Path, text: &str, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    write(
        &pgpass,
        &format!(
            "# desk\nother:{port}:*:attache:nope\n127.0.0.1:{port}:postgres:attache:pa\\:ss\\\\word\n"
        ),
        0o600,
    );
    run(&address, &[]).success();
    write(&pgpass, &std::fs::read_to_string(&pgpass).unwrap(), 0o644);
    run(&address, &[]).code(1).stderr(contains(format!(
        "; {} was not read: others can read it (chmod 600 it)",
        pgpass.display()
    )));
    write(&pgpass, "db.example:5432:*:*:nope\n", 0o600);
    run(&address, &[]).code(1).stderr(contains(format!(
        "; {} has no line for 127.0.0.1:{port}:postgres:attache",
        pgpass.display()
    )));
    write(
        &pgpass,
        &format!("127.0.0.1:{port}:*:attache:stale\n"),
        0o600,
    );
    run(&address, &[])
        .code(1)
        .stderr(contains(format!(
            "the password came from {}, line 1",
            pgpass.display()
        )))
        .stderr(contains("stale").not());
    let elsewhere = home.path().join("desk.pgpass");
    write(&elsewhere, "*:*:*:*:pa\\:ss\\\\word\n", 0o600);
    run(&address, &[("PGPASSFILE", elsewhere.to_str().unwrap())]).success();
}

/// `--db postgres://` (or `ATTACHE_DB`) with libpq's variables reaches the database they name,
/// what the address gives wins over them, and they alone do not leave the default file.
#[test]
fn the_environment_completes_an_address_as_for_psql() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let config: postgres::Config = url.parse().unwrap();
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(host) => host.clone(),
        postgres::config::Host::Unix(dir) => dir.display().to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap().to_string();
    let database = config.get_dbname().unwrap().to_string();
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("PGHOST", host.as_str()),
        ("PGPORT", port.as_str()),
        ("PGUSER", user.as_str()),
        ("PGDATABASE", database.as_str()),
    ];
    let with_env = || {
        let mut cmd = common::attache();
        cmd.env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"));
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd
    };
    with_env()
        .args(["--db", "postgres://", "seed"])
        .assert()
        .success()
        .stdout(contains("imported 36 events"));
    with_env()
        .env("ATTACHE_DB", "postgresql://")
        .args(["list", "--kind", "call"])
        .assert()
        .success()
        .stdout(contains("11 events"));
    // Where the environment filled the address in, messages name what it filled in.
    with_env()
        .env("PGDATABASE", "no_such_database")
        .args(["--db", "postgres://", "list"])
        .assert()
        .code(1)
        .stderr(contains(format!(
            "postgres://{user}@{host}:{port}/no_such_database: cannot open the database: \
             database \"no_such_database\" does not exist"
        )));
    let mut cmd = common::attache();
    cmd.env("HOME", home.path())
        .envs([
            ("PGHOST", "nowhere.invalid"),
            ("PGPORT", "1"),
            ("PGUSER", "nobody"),
            ("PGDATABASE", "no_such_database"),
        ])
        .args(["--db", &url, "list", "--kind", "call"])
        .assert()
        .success()
        .stdout(contains("11 events"));
    if let Some(socket) = common::pg::socket_address(&url) {
        let dir = socket
            .split("host=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        with_env()
            .env("PGHOST", dir)
            .args(["--db", "postgresql://", "list", "--kind", "call"])
            .assert()
            .success()
            .stdout(contains("11 events"));
    }
    // Without an address the default file is used, whatever PG* says.
    with_env()
        .args(["list", "--kind", "call"])
        .assert()
        .success()
        .stderr(contains("created"))
        .stderr(contains("attache.db"));
    assert!(home.path().join("data/attache/attache.db").exists());
}

/// libpq takes the database named after the user when the address names none; attache
/// created its tables and pg_trgm there. It refuses such an address instead, before connecting.
#[test]
fn an_address_without_a_database_is_refused_and_nothing_created() {
    let Some(url) = common::pg::fresh_database() else {
        return;
    };
    let (server, name) = url.rsplit_once('/').unwrap();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    // A role named as the database, so that the server would pick that database for it.
    admin
        .batch_execute(&format!("CREATE ROLE {name} SUPERUSER LOGIN"))
        .unwrap();
    let server = server.replacen("attache@", &format!("{name}@"), 1);
    let outcome = common::attache()
        .args(["--db", &format!("{server}/"), "seed"])
        .assert();
    let tables: i64 = admin
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    let trigrams: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'",
            &[],
        )
        .unwrap()
        .get(0);
    // Fails only where the role came to own tables, which the assertions below report.
    let _ = admin.batch_execute(&format!("DROP ROLE {name}"));
    outcome.code(1).stdout("").stderr(contains(format!(
        "{server}/: cannot open the database: the address names no database, and PGDATABASE is \
         not set; give the database that holds the record (or is to hold it), as in \
         {server}/attache; nothing was created"
    )));
    assert_eq!((tables, trigrams), (0, 0));
}

/// A server that is not taking connections, or takes no writes, is the store failing (exit 3),
/// not the address being wrong.
#[test]
fn a_server_starting_stopping_or_in_recovery_is_a_store_failure() {
    let home = tempfile::tempdir().unwrap();
    let address =
        |server: &OwnServer| format!("postgres://attache@127.0.0.1:{}/postgres", server.port);
    let standby = |hot: &str| {
        OwnServer::start(Setup {
            conf: hot,
            files: vec![("standby.signal", Vec::new())],
            ..Setup::default()
        })
    };
    let failed = |server: &OwnServer, why: &str| {
        list(home.path(), &address(server), &[])
            .assert()
            .code(3)
            .stdout("")
            .stderr(contains(format!(
                "{}: cannot reach the database server: {why}",
                address(server)
            )));
    };

    let Some(recovering) = standby("hot_standby = off") else {
        return;
    };
    failed(
        &recovering,
        "the database system is not accepting connections",
    );
    drop(recovering);

    let Some(read_only) = standby("hot_standby = on") else {
        return;
    };
    failed(
        &read_only,
        "the server is in recovery (a standby, or restoring a backup) and takes no writes",
    );
    drop(read_only);

    // A smart shutdown waits for its last client, refusing new ones meanwhile.
    let Some(stopping) = OwnServer::start(Setup::default()) else {
        return;
    };
    let last_client = stopping.client("postgres");
    let status = stopping
        .pg_ctl(&["-m", "smart", "-W", "stop"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_to_string(stopping.dir.join("log"))
        .unwrap_or_default()
        .contains("received smart shutdown request")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never began to stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    failed(&stopping, "the database system is shutting down");
    drop(last_client);
}
