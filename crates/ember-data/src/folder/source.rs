//! [`ImageFolder`]: a user's own labelled images, read into [`ImageDataset`]s once and then
//! from Ember's cache.

use std::path::{Path, PathBuf};

use super::convert::{decode, probe, to_chw, Channels};
use super::decoded_cache::{self, Decoded, Split};
use super::scan::{scan, SplitFiles, Tree};
use crate::cache::default_cache_dir;
use crate::image_dataset::ImageDataset;
use crate::origin::Origin;
use crate::DataError;

/// The splits of an image folder and where they came from.
#[derive(Debug, Clone)]
pub struct FolderData {
    /// The images of `root/train/` (or of `root` itself without `train/`).
    pub train: ImageDataset,
    /// The images of `root/test/`, when `root/train/` and `root/test/` exist.
    pub test: Option<ImageDataset>,
    /// The folder, and whether the images were decoded now or read from the cache.
    pub origin: Origin,
}

/// A folder of labelled PNG and JPEG images (`--dataset folder:PATH`):
/// `root/<class>/*.png|jpg|jpeg`, or `root/train/<class>/…` and `root/test/<class>/…`
/// (classes sorted by folder name give the labels `0, 1, …`; a test split may only hold
/// training classes).
///
/// Every image is converted to one shape `[channels, height, width]`: [`Channels`] says
/// grey or RGB, and an image of another size than `size` is resized with a bilinear filter;
/// without a `size`, every image must have the size of the first. The decoded arrays are
/// cached in `cache_dir/image-folders/` under a key of the folder's path, its files' names,
/// sizes and modification times, and the conversion, so a later run with the same folder
/// reads them instead of decoding again, and a changed folder is decoded again.
///
/// ```no_run
/// use ember_data::{Channels, ImageFolder};
///
/// let data = ImageFolder::new("photos").channels(Channels::Rgb).resize_to(64, 64).load()?;
/// println!("{} classes from {}", data.train.class_names().len(), data.origin);
/// # Ok::<(), ember_data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFolder {
    /// The folder.
    pub root: PathBuf,
    /// Grey, RGB, or grey when every image is grey (the default, [`Channels::Auto`]).
    pub channels: Channels,
    /// `[height, width]` to resize to; `None` (the default) keeps the images' own size,
    /// which must then be the same for all.
    pub size: Option<[usize; 2]>,
    /// The root of Ember's dataset cache ([`default_cache_dir`]); `None`: no caching.
    pub cache_dir: Option<PathBuf>,
    /// Whether to print what happens (and a progress bar while decoding) on stderr.
    pub verbose: bool,
}

impl ImageFolder {
    /// The folder `root`; channels [`Channels::Auto`], no resize, the default cache, verbose.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            channels: Channels::Auto,
            size: None,
            cache_dir: Some(default_cache_dir()),
            verbose: true,
        }
    }

    /// Converts every image to `channels`.
    pub fn channels(mut self, channels: Channels) -> Self {
        self.channels = channels;
        self
    }

    /// Resizes every image of another size to `height × width` (bilinear).
    pub fn resize_to(mut self, height: usize, width: usize) -> Self {
        self.size = Some([height, width]);
        self
    }

    /// Caches the decoded arrays below `dir` (`None`: decode on every load).
    pub fn with_cache_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    /// Prints nothing.
    pub fn quiet(mut self) -> Self {
        self.verbose = false;
        self
    }

    fn say(&self, line: impl AsRef<str>) {
        if self.verbose {
            eprintln!("[image folder] {}", line.as_ref());
        }
    }

    /// Reads the folder: from the cache when it holds this state of the folder, otherwise
    /// by decoding every image (and then writing the cache).
    ///
    /// # Shapes
    /// Items `[channels, height, width]` (`height × width` from `size`, or the images' own).
    ///
    /// # Errors
    /// [`DataError::Invalid`] for a folder of another layout (naming it and the fix), a
    /// zero `size`, or, without `size`, naming the first image whose size differs from the
    /// first image's; [`DataError::BadImage`] or [`DataError::Io`] naming an image that
    /// cannot be read or decoded; [`DataError::Write`] when the cache cannot be written.
    pub fn load(&self) -> Result<FolderData, DataError> {
        if self.size.is_some_and(|s| s.contains(&0)) {
            return Err(DataError::invalid(
                &self.root,
                format!(
                    "resize size {:?} has a zero side; give height and width ≥ 1",
                    self.size
                ),
            ));
        }
        let root = std::fs::canonicalize(&self.root).map_err(|e| DataError::io(&self.root, e))?;
        let tree = scan(&root)?;
        if tree.skipped > 0 {
            self.say(format!(
                "skipped {} files that are not .png, .jpg or .jpeg",
                tree.skipped
            ));
        }
        let settings = format!("channels {} size {:?}", self.channels, self.size);
        let key = decoded_cache::key(&root, &settings, &tree)?;
        let cache_file = self
            .cache_dir
            .as_ref()
            .map(|d| d.join("image-folders").join(format!("{}.bin", &key[..32])));
        if let Some(file) = cache_file.as_ref().filter(|f| f.is_file()) {
            match decoded_cache::read(file, &key) {
                Ok(decoded) => return self.data(&root, decoded, true),
                Err(why) => self.say(format!(
                    "cache {} unusable ({why}); decoding",
                    file.display()
                )),
            }
        }
        let decoded = self.decode_tree(&tree)?;
        if let Some(file) = &cache_file {
            decoded_cache::write(file, &key, &decoded)?;
            self.say(format!("decoded images cached in {}", file.display()));
        }
        self.data(&root, decoded, false)
    }

    fn data(&self, root: &Path, decoded: Decoded, cached: bool) -> Result<FolderData, DataError> {
        let Decoded {
            shape,
            classes,
            train,
            test,
        } = decoded;
        let images = train.labels.len() + test.as_ref().map_or(0, |t| t.labels.len());
        let dataset = |split: Split| {
            ImageDataset::new(split.images, split.labels, shape, classes.clone(), root)
        };
        Ok(FolderData {
            train: dataset(train)?,
            test: test.map(dataset).transpose()?,
            origin: Origin::ImageFolder {
                path: root.to_path_buf(),
                images,
                cached,
            },
        })
    }

    /// Probes every header (channels, the first odd size), then decodes and converts.
    fn decode_tree(&self, tree: &Tree) -> Result<Decoded, DataError> {
        let all: Vec<&PathBuf> = tree
            .train
            .iter()
            .chain(tree.test.iter().flatten())
            .map(|(p, _)| p)
            .collect();
        let (mut first_size, mut colour) = (None, false);
        for path in &all {
            let (size, has_colour) = probe(path)?;
            colour |= has_colour;
            match (first_size, self.size) {
                (None, _) => first_size = Some((size, *path)),
                (Some((first, first_path)), None) if size != first => {
                    return Err(odd_size(path, size, first_path, first));
                }
                _ => {}
            }
        }
        let size = self
            .size
            .or(first_size.map(|(s, _)| s))
            .expect("a scan finds images");
        let channels = self.channels.count().unwrap_or(if colour { 3 } else { 1 });
        self.say(format!(
            "decoding {} images to [{channels}, {}, {}]",
            all.len(),
            size[0],
            size[1]
        ));
        let bar = if self.verbose {
            indicatif::ProgressBar::new(all.len() as u64)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let mut split = |files: &SplitFiles| -> Result<Split, DataError> {
            let mut out = Split::default();
            for (path, label) in files {
                out.images.extend(to_chw(&decode(path)?, channels, size));
                out.labels.push(*label);
                bar.inc(1);
            }
            Ok(out)
        };
        let decoded = Decoded {
            shape: [channels, size[0], size[1]],
            classes: tree.classes.clone(),
            train: split(&tree.train)?,
            test: tree.test.as_ref().map(&mut split).transpose()?,
        };
        bar.finish_and_clear();
        Ok(decoded)
    }
}

fn odd_size(path: &Path, [h, w]: [usize; 2], first: &Path, [fh, fw]: [usize; 2]) -> DataError {
    DataError::invalid(
        path,
        format!(
            "is {w}x{h} (width x height), but the first image, {}, is {fw}x{fh}; give a size \
             to resize every image to (ImageFolder::resize_to), or make the images one \
             size",
            first.display()
        ),
    )
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
