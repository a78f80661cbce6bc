//! Downloading a file from a public mirror over HTTPS, with a progress bar.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::idx::gunzip_if_gzip;
use crate::DataError;

/// An HTTP agent with the timeouts Ember uses (10 s to connect, 60 s per read).
pub(crate) fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(Duration::from_secs(60))
        .build()
}

/// Downloads `url` and returns its bytes, decompressed when gzipped; shows a progress bar on
/// stderr when `progress`.
///
/// # Errors
/// [`DataError::Fetch`] naming the address when the request, the transfer or the gzip
/// stream fails.
pub(crate) fn download(
    agent: &ureq::Agent,
    url: &str,
    progress: bool,
) -> Result<Vec<u8>, DataError> {
    let mut out = Vec::new();
    transfer(agent, url, progress, &mut out)?;
    gunzip_if_gzip(out).map_err(|e| DataError::fetch(url, format!("corrupt gzip stream: {e}")))
}

/// Downloads `url` as it is into the file `path` (streamed, not held in memory), with a
/// progress bar on stderr when `progress`; returns the bytes written.
///
/// # Errors
/// [`DataError::Fetch`] naming the address, or [`DataError::Write`] naming `path`.
pub(crate) fn download_to_file(
    agent: &ureq::Agent,
    url: &str,
    path: &Path,
    progress: bool,
) -> Result<u64, DataError> {
    let mut file = std::fs::File::create(path).map_err(|e| DataError::write(path, e))?;
    let n = transfer(agent, url, progress, &mut file)?;
    file.sync_all().map_err(|e| DataError::write(path, e))?;
    Ok(n)
}

/// Copies the body of `url` into `out` through a progress bar.
fn transfer(
    agent: &ureq::Agent,
    url: &str,
    progress: bool,
    out: &mut impl Write,
) -> Result<u64, DataError> {
    crate::lookup::ensure_online(url)?;
    let resp = agent.get(url).call().map_err(|e| {
        let reason = match e {
            ureq::Error::Status(code, _) => format!("the mirror answered HTTP {code}"),
            ureq::Error::Transport(t) => {
                // ureq's message starts with the address, which `Fetch` already shows.
                let text = t.to_string();
                let text = text.strip_prefix(&format!("{url}: ")).unwrap_or(&text);
                format!("{text}; is the network reachable?")
            }
        };
        DataError::fetch(url, reason)
    })?;
    let len = resp
        .header("Content-Length")
        .and_then(|s| s.parse::<u64>().ok());
    let bar = if progress {
        indicatif::ProgressBar::new(len.unwrap_or(0))
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "  {bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("valid template"),
    );
    let n = std::io::copy(&mut bar.wrap_read(resp.into_reader()), out)
        .map_err(|e| DataError::fetch(url, format!("transfer interrupted: {e}")))?;
    bar.finish_and_clear();
    Ok(n)
}
