//! Reaching a PostgreSQL server as `psql` does, so that a desk's set-up works unchanged: what
//! the address says first, then libpq's environment variables for what it leaves out (PGHOST,
//! PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, PGPASSFILE), then the
//! password file (`~/.pgpass`). TLS goes through rustls with libpq's `sslmode` rules.
//!
//! Two things differ from libpq on purpose: an address that names no database is refused (libpq
//! would take the database named after the user, and attache would create its tables there),
//! and a root certificate file named outright but missing is refused under `require` too
//! (libpq connects unverified), since a mistyped path should not drop the check.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postgres::config::Host;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{reason_of, redacted};
use crate::store::{Result, StoreError};

/// Where libpq looks for a server's socket when no host is given (Debian's folder, then the
/// upstream default).
const SOCKET_DIRS: [&str; 2] = ["/var/run/postgresql", "/tmp"];

/// What libpq would read from the environment, read once so that the rest is a function of it.
#[derive(Debug, Default, Clone)]
pub(super) struct Env {
    pub host: Option<String>,
    pub port: Option<String>,
    pub user: Option<String>,
    pub database: Option<String>,
    pub password: Option<String>,
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
    pub passfile: Option<String>,
    pub home: Option<PathBuf>,
}

impl Env {
    fn from_process() -> Env {
        // An empty variable counts as unset, as an empty PGHOST means no host.
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Env {
            host: var("PGHOST"),
            port: var("PGPORT"),
            user: var("PGUSER"),
            database: var("PGDATABASE"),
            password: var("PGPASSWORD"),
            sslmode: var("PGSSLMODE"),
            sslrootcert: var("PGSSLROOTCERT"),
            passfile: var("PGPASSFILE"),
            home: directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// The certificates a server's is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Root {
    None,
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's trusted authorities.
    System,
}

/// Where the password came from, to say so when the server turns it down.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PasswordFrom {
    Address,
    Environment,
    File(PathBuf, usize),
}

/// Everything needed to connect, and to explain a failure without showing a password.
#[derive(Debug)]
pub(super) struct Target {
    config: postgres::Config,
    label: String,
    mode: SslMode,
    root: Root,
    user: String,
    password: Option<PasswordFrom>,
    passfile: Option<PathBuf>,
    /// Why the password file gave nothing, when it exists.
    passfile_note: Option<String>,
}

/// A connection and the name it goes by in messages.
pub(super) struct Connected {
    pub client: postgres::Client,
    pub label: String,
}

/// Connects to the database `url` names, the environment filling in what it leaves out.
pub(super) fn connect(url: &str) -> Result<Connected> {
    let target = resolve(url, &Env::from_process())?;
    let tls = tls_config(&target)?;
    let mut client = target
        .config
        .connect(MakeRustlsConnect::new(tls))
        .map_err(|e| failure(&e, &target))?;
    // A standby takes reads but no writes, and attache writes on opening (the schema, LISTEN).
    let in_recovery: bool = client
        .query_one("SELECT pg_is_in_recovery()", &[])
        .map_err(|e| failure(&e, &target))?
        .get(0);
    if in_recovery {
        return Err(StoreError::Unreachable {
            path: target.label,
            reason: "the server is in recovery (a standby, or restoring a backup) and takes no \
                     writes; give the address of the primary server"
                .to_string(),
        });
    }
    Ok(Connected {
        client,
        label: target.label,
    })
}

/// The address and the environment combined, as libpq combines them.
pub(super) fn resolve(url: &str, env: &Env) -> Result<Target> {
    let given = redacted(url);
    let refuse = |reason: String| StoreError::CannotOpen {
        path: given.clone(),
        reason,
    };
    let (rest, ssl) = take_ssl_params(url).map_err(|e| refuse(e.to_string()))?;
    let mut config: postgres::Config = rest
        .parse()
        .map_err(|e: postgres::Error| refuse(format!("not a PostgreSQL address ({e})")))?;
    let mut filled = false;

    if config.get_ports().is_empty()
        && let Some(ports) = &env.port
    {
        for port in ports.split(',') {
            let port = port
                .parse()
                .map_err(|_| refuse(format!("PGPORT={ports} is not a port number")))?;
            config.port(port);
        }
    }
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        filled = true;
        match &env.host {
            Some(hosts) => {
                for host in hosts.split(',') {
                    config.host(host);
                }
            }
            None => {
                let port = config.get_ports().first().copied().unwrap_or(5432);
                match SOCKET_DIRS
                    .iter()
                    .find(|dir| Path::new(dir).join(format!(".s.PGSQL.{port}")).exists())
                {
                    Some(dir) => config.host_path(dir),
                    None => config.host("localhost"),
                };
            }
        }
    }
    let user = match (config.get_user(), &env.user) {
        (Some(user), _) => user.to_string(),
        (None, Some(user)) => user.clone(),
        (None, None) => whoami::username().map_err(|_| {
            refuse("no user name: give one in the address (postgres://USER@…) or PGUSER".into())
        })?,
    };
    config.user(&user);
    if config.get_dbname().is_none() {
        filled = true;
        let Some(database) = &env.database else {
            return Err(refuse(format!(
                "the address names no database, and PGDATABASE is not set; give the database \
                 that holds the record (or is to hold it), as in {}; nothing was created",
                redacted(&with_database(url, "attache"))
            )));
        };
        config.dbname(database);
    }
    let database = config.get_dbname().unwrap_or_default().to_string();

    let first_host = match (config.get_hosts().first(), config.get_hostaddrs().first()) {
        (Some(Host::Tcp(host)), _) => host.clone(),
        (Some(Host::Unix(dir)), _) if SOCKET_DIRS.iter().any(|d| dir == Path::new(d)) => {
            "localhost".to_string()
        }
        (Some(Host::Unix(dir)), _) => dir.display().to_string(),
        (None, Some(addr)) => addr.to_string(),
        (None, None) => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);

    let passfile = env
        .passfile
        .as_ref()
        .map(PathBuf::from)
        .or_else(|| env.home.as_ref().map(|home| home.join(".pgpass")));
    let mut passfile_note = None;
    let password = if config.get_password().is_some() {
        Some(PasswordFrom::Address)
    } else if let Some(password) = &env.password {
        config.password(password.as_str());
        Some(PasswordFrom::Environment)
    } else if let Some(file) = passfile.as_ref().filter(|file| file.is_file()) {
        let key = [first_host.as_str(), &port.to_string(), &database, &user];
        match read_passfile(file, &key) {
            Ok(Some((password, line))) => {
                config.password(password.as_str());
                Some(PasswordFrom::File(file.clone(), line))
            }
            Ok(None) => {
                passfile_note = Some(format!(
                    "{} has no line for {}",
                    file.display(),
                    key.join(":")
                ));
                None
            }
            Err(why) => {
                passfile_note = Some(format!("{} was not read: {why}", file.display()));
                None
            }
        }
    } else {
        None
    };

    let mode_given = match (&ssl.mode, &env.sslmode) {
        (Some(mode), _) => Some((mode.as_str(), "in the address")),
        (None, Some(mode)) => Some((mode.as_str(), "in PGSSLMODE")),
        (None, None) => None,
    };
    let mode = match mode_given {
        Some((value, place)) => Some(SslMode::parse(value).ok_or_else(|| {
            refuse(format!(
                "sslmode={value} {place} is not one of disable, prefer, require, verify-ca, \
                 verify-full"
            ))
        })?),
        None => None,
    };
    let root = match ssl.rootcert.as_ref().or(env.sslrootcert.as_ref()) {
        Some(system) if system == "system" => Root::System,
        Some(file) => {
            let file = PathBuf::from(file);
            if !file.is_file() {
                return Err(refuse(format!(
                    "the root certificate file {} (sslrootcert) does not exist",
                    file.display()
                )));
            }
            Root::File(file)
        }
        None => env
            .home
            .as_ref()
            .map(|home| home.join(".postgresql/root.crt"))
            .filter(|file| file.is_file())
            .map_or(Root::None, Root::File),
    };
    let mode = match (mode, &root) {
        // libpq: the system's authorities vouch for names, so they come with verify-full.
        (None, Root::System) => SslMode::VerifyFull,
        (Some(mode), Root::System) if mode != SslMode::VerifyFull => {
            return Err(refuse(format!(
                "sslrootcert=system goes with sslmode=verify-full, not {}",
                mode.name()
            )));
        }
        (mode, _) => mode.unwrap_or(SslMode::Prefer),
    };
    if matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull) && root == Root::None {
        return Err(refuse(format!(
            "sslmode={} checks the server's certificate against a root certificate, and none \
             was given: name its file with sslrootcert=FILE in the address or PGSSLROOTCERT, \
             put it at ~/.postgresql/root.crt, or give sslrootcert=system for the system's",
            mode.name()
        )));
    }
    // PostgreSQL speaks no TLS over a Unix socket, and libpq ignores sslmode there.
    let all_sockets = !config.get_hosts().is_empty()
        && config.get_hostaddrs().is_empty()
        && config
            .get_hosts()
            .iter()
            .all(|h| matches!(h, Host::Unix(_)));
    config.ssl_mode(match mode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        _ if all_sockets => postgres::config::SslMode::Disable,
        SslMode::Prefer => postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            postgres::config::SslMode::Require
        }
    });
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.application_name("attache");

    let label = if filled {
        described(&config, &user, &database)
    } else {
        given.clone()
    };
    Ok(Target {
        config,
        label,
        mode,
        root,
        user,
        password,
        passfile,
        passfile_note,
    })
}

/// `sslmode` and `sslrootcert` taken out of an address: the driver knows neither libpq's
/// verify modes nor root certificate files.
#[derive(Debug, Default, PartialEq, Eq)]
struct SslParams {
    mode: Option<String>,
    rootcert: Option<String>,
}

fn take_ssl_params(url: &str) -> std::result::Result<(String, SslParams), std::str::Utf8Error> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), SslParams::default()));
    };
    let mut ssl = SslParams::default();
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
        };
        match decode(key)?.as_str() {
            "sslmode" => ssl.mode = Some(decode(value)?),
            "sslrootcert" => ssl.rootcert = Some(decode(value)?),
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((rest, ssl))
}

/// `url` with `database` where its database name goes, for a message to show.
fn with_database(url: &str, database: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let query = tail.trim_start_matches('/');
    format!("{scheme}://{authority}/{database}{query}")
}

/// The address as the environment completed it, without the password.
fn described(config: &postgres::Config, user: &str, database: &str) -> String {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    match (config.get_hosts().first(), config.get_hostaddrs().first()) {
        (Some(Host::Unix(dir)), _) => format!(
            "postgresql://{user}@/{database}?host={}&port={port}",
            dir.display()
        ),
        (Some(Host::Tcp(host)), _) => format!("postgres://{user}@{host}:{port}/{database}"),
        (None, Some(addr)) => format!("postgres://{user}@{addr}:{port}/{database}"),
        (None, None) => format!("postgres://{user}@localhost:{port}/{database}"),
    }
}

/// The password for `key` (host, port, database, user) from a libpq password file, and its
/// line; a file that others can read is not read, as libpq does not.
fn read_passfile(
    file: &Path,
    key: &[&str; 4],
) -> std::result::Result<Option<(String, usize)>, String> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(file).map_err(|e| e.to_string())?;
    if metadata.permissions().mode() & 0o077 != 0 {
        return Err("others can read it (chmod 600 it)".to_string());
    }
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    Ok(find_password(&text, key))
}

/// The first line of a password file whose first four fields match `key` (`*` matches
/// anything), and its number. Fields are separated by `:`; `\` takes the next character as it
/// is; the password is the rest of the line.
fn find_password(text: &str, key: &[&str; 4]) -> Option<(String, usize)> {
    for (number, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let mut fields = vec![String::new()];
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(next) = chars.next()
                        && let Some(field) = fields.last_mut()
                    {
                        field.push(next);
                    }
                }
                ':' if fields.len() < 5 => fields.push(String::new()),
                c => {
                    if let Some(field) = fields.last_mut() {
                        field.push(c);
                    }
                }
            }
        }
        let [host, port, database, user, password] = fields.as_slice() else {
            continue;
        };
        let matches = [host, port, database, user]
            .iter()
            .zip(key)
            .all(|(field, wanted)| field.as_str() == "*" || field.as_str() == *wanted);
        if matches {
            return Some((password.clone(), number + 1));
        }
    }
    None
}

/// rustls set up for the target's `sslmode`: no check of the certificate under `prefer`, and
/// under `require` without a root certificate (encryption, not identity, as libpq); the chain
/// under `verify-ca` (and `require` with a root certificate); the chain and the host name under
/// `verify-full`.
fn tls_config(target: &Target) -> Result<rustls::ClientConfig> {
    let refuse = |reason: String| StoreError::CannotOpen {
        path: target.label.clone(),
        reason,
    };
    // ring builds with a C compiler alone (aws-lc-rs needs cmake and nasm); rustls marks it
    // deprecated for want of post-quantum key exchange, which PostgreSQL does not need yet.
    #[allow(deprecated, reason = "ring is the provider that builds offline")]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = match (&target.root, target.mode) {
        (_, SslMode::Disable | SslMode::Prefer) | (Root::None, _) => None,
        (Root::File(file), _) => {
            let mut roots = RootCertStore::empty();
            let certificates = CertificateDer::pem_file_iter(file)
                .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| {
                    refuse(format!(
                        "cannot read the root certificate file {}: {e}",
                        file.display()
                    ))
                })?;
            let (added, _) = roots.add_parsable_certificates(certificates);
            if added == 0 {
                return Err(refuse(format!(
                    "{} holds no certificate attache can use as a root",
                    file.display()
                )));
            }
            Some(roots)
        }
        (Root::System, _) => {
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            Some(roots)
        }
    };
    let verifier: Arc<dyn ServerCertVerifier> = match roots {
        None => Arc::new(Unverified(provider.clone())),
        Some(roots) => {
            let webpki =
                WebPkiServerVerifier::builder_with_provider(roots.into(), provider.clone())
                    .build()
                    .map_err(|e| refuse(format!("cannot use the root certificates: {e}")))?;
            if target.mode == SslMode::VerifyFull {
                webpki
            } else {
                Arc::new(ChainOnly(webpki))
            }
        }
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| refuse(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// Takes any certificate; the handshake's signatures are still checked.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Checks the chain to a trusted root but not the name (libpq's `verify-ca`). webpki checks
/// the chain before the name, so a failure on the name alone means the chain held.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// What a failed connection means for the user. The server saying no to the address, the role
/// or the password, a certificate not trusted, TLS not offered and a password not given are
/// refusals of what was given (exit 1); a server that does not answer, or answers that it is
/// starting, stopping, in recovery or out of resources, is the store failing (exit 3).
fn failure(error: &postgres::Error, target: &Target) -> StoreError {
    let path = target.label.clone();
    if let Some(db) = error.as_db_error() {
        let mut reason = db.message().to_string();
        if let Some(detail) = db.detail() {
            reason.push_str(&format!(" ({detail})"));
        }
        let class = db.code().code().get(..2).unwrap_or_default();
        if matches!(class, "08" | "53" | "57" | "58" | "XX") {
            return StoreError::Unreachable { path, reason };
        }
        if db.code() == &postgres::error::SqlState::INVALID_PASSWORD {
            reason.push_str(&match &target.password {
                Some(PasswordFrom::Address) => "; the password came from the address".to_string(),
                Some(PasswordFrom::Environment) => {
                    "; the password came from PGPASSWORD".to_string()
                }
                Some(PasswordFrom::File(file, line)) => {
                    format!("; the password came from {}, line {line}", file.display())
                }
                None => String::new(),
            });
        }
        return StoreError::CannotOpen { path, reason };
    }
    let mut causes: Vec<&(dyn std::error::Error + 'static)> = Vec::new();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        causes.push(inner);
        cause = inner.source();
    }
    // An io::Error passes over the error it wraps when asked for its source.
    let certificate = causes.iter().find_map(|cause| {
        let wrapped = cause.downcast_ref::<std::io::Error>()?.get_ref()?;
        match wrapped.downcast_ref::<rustls::Error>()? {
            rustls::Error::InvalidCertificate(why) => Some(why),
            _ => None,
        }
    });
    if let Some(why) = certificate {
        let against = match &target.root {
            Root::File(file) => format!("the root certificate in {}", file.display()),
            Root::System => "the system's trusted authorities".to_string(),
            Root::None => "nothing".to_string(),
        };
        return StoreError::CannotOpen {
            path,
            reason: format!(
                "the server's certificate does not pass sslmode={}: {} (checked against {against})",
                target.mode.name(),
                certificate_problem(why)
            ),
        };
    }
    let said = |text: &str| causes.iter().any(|cause| cause.to_string() == text);
    if said("password missing") {
        return StoreError::CannotOpen {
            path,
            reason: password_needed(target),
        };
    }
    if said("server does not support TLS") {
        return StoreError::CannotOpen {
            path,
            reason: format!(
                "the server does not offer TLS, which sslmode={} requires (sslmode=prefer \
                 connects without it where the server has none)",
                target.mode.name()
            ),
        };
    }
    StoreError::Unreachable {
        path,
        reason: reason_of(error),
    }
}

fn certificate_problem(why: &CertificateError) -> String {
    match why {
        CertificateError::UnknownIssuer => "it is not signed by a trusted authority".to_string(),
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => {
            // rustls gives the names as `DnsName("localhost")`.
            let names: Vec<&str> = presented
                .iter()
                .map(|name| {
                    name.strip_prefix("DnsName(\"")
                        .and_then(|name| name.strip_suffix("\")"))
                        .unwrap_or(name)
                })
                .collect();
            format!(
                "it is made out to {}, not to the host name {}",
                names.join(", "),
                expected.to_str()
            )
        }
        CertificateError::NotValidForName => "it is not made out to the host name".to_string(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "it has expired".to_string()
        }
        other => format!("{other:?}"),
    }
}

fn password_needed(target: &Target) -> String {
    let file = target
        .passfile
        .as_ref()
        .map_or_else(|| "~/.pgpass".to_string(), |f| f.display().to_string());
    let mut reason = format!(
        "the server asks for a password for {user}, and none was given: put it in {file} (a \
         line HOST:PORT:DATABASE:USER:PASSWORD, readable by you alone), in PGPASSWORD, or in \
         the address (postgres://{user}:PASSWORD@HOST/DATABASE)",
        user = target.user
    );
    if let Some(note) = &target.passfile_note {
        reason.push_str(&format!("; {note}"));
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::default()
    }

    #[test]
    fn the_address_wins_and_the_environment_fills_what_it_leaves_out() {
        let full = Env {
            host: Some("envhost".into()),
            port: Some("6543".into()),
            user: Some("envuser".into()),
            database: Some("envdb".into()),
            password: Some("envpass".into()),
            sslmode: Some("disable".into()),
            ..env()
        };
        let given = resolve(
            "postgres://ann:pw@db.example:5433/attache?sslmode=prefer",
            &full,
        )
        .unwrap();
        assert_eq!(given.config.get_user(), Some("ann"));
        assert_eq!(given.config.get_dbname(), Some("attache"));
        assert_eq!(given.config.get_ports(), &[5433]);
        assert_eq!(given.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(given.mode, SslMode::Prefer);
        assert_eq!(
            given.label,
            "postgres://ann:***@db.example:5433/attache?sslmode=prefer"
        );

        let filled = resolve("postgres://", &full).unwrap();
        assert_eq!(filled.config.get_user(), Some("envuser"));
        assert_eq!(filled.config.get_dbname(), Some("envdb"));
        assert_eq!(filled.config.get_ports(), &[6543]);
        assert_eq!(
            filled.config.get_hosts(),
            &[Host::Tcp("envhost".to_string())]
        );
        assert_eq!(filled.password, Some(PasswordFrom::Environment));
        assert_eq!(filled.mode, SslMode::Disable);
        assert_eq!(filled.label, "postgres://envuser@envhost:6543/envdb");
        assert!(!filled.label.contains("envpass"));
    }

    #[test]
    fn an_address_without_a_database_is_refused_naming_one() {
        let error = resolve("postgres://u@host:5432/", &env()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "postgres://u@host:5432/: cannot open the database: the address names no database, \
             and PGDATABASE is not set; give the database that holds the record (or is to hold \
             it), as in postgres://u@host:5432/attache; nothing was created"
        );
        assert_eq!(
            with_database("postgres://u:pw@h?sslmode=require", "attache"),
            "postgres://u:pw@h/attache?sslmode=require"
        );
    }

    #[test]
    fn ssl_parameters_are_taken_out_of_the_address() {
        let (rest, ssl) = take_ssl_params(
            "postgres://h/db?sslmode=verify-full&host=%2Ftmp&sslrootcert=%2Fca.pem",
        )
        .unwrap();
        assert_eq!(rest, "postgres://h/db?host=%2Ftmp");
        assert_eq!(ssl.mode.as_deref(), Some("verify-full"));
        assert_eq!(ssl.rootcert.as_deref(), Some("/ca.pem"));
        let error = resolve("postgres://h/db?sslmode=allow", &env()).unwrap_err();
        assert!(error.to_string().contains(
            "sslmode=allow in the address is not one of disable, prefer, require, verify-ca, verify-full"
        ));
        let error = resolve("postgres://h/db?sslmode=verify-ca", &env()).unwrap_err();
        assert!(error.to_string().contains("none was given"), "{error}");
        let error =
            resolve("postgres://h/db?sslmode=require&sslrootcert=system", &env()).unwrap_err();
        assert!(error.to_string().contains("goes with sslmode=verify-full"));
        let system = resolve("postgres://h/db?sslrootcert=system", &env()).unwrap();
        assert_eq!(system.mode, SslMode::VerifyFull);
    }

    #[test]
    fn password_files_match_as_libpq_reads_them() {
        let text = "# a comment\n\
                    other:5432:*:ann:wrong\n\
                    db.example:5432:attache:bob:nope\n\
                    db.example:*:*:ann:pa\\:ss\\\\word:tail\r\n\
                    *:*:*:*:last\n";
        let key = |user| ["db.example", "5432", "attache", user];
        assert_eq!(
            find_password(text, &key("ann")),
            Some(("pa:ss\\word:tail".to_string(), 4))
        );
        assert_eq!(find_password(text, &key("bob")), Some(("nope".into(), 3)));
        assert_eq!(find_password(text, &key("cy")), Some(("last".into(), 5)));
        assert_eq!(find_password("h:1:d:u\n", &key("u")), None);
    }
}
