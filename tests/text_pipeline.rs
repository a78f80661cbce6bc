//! The text pipeline across crates: ember-data's batches are what ember-train trains a
//! text classifier on; and the real SpamAssassin tarball of `../shared/data` verified,
//! parsed from its raw RFC 822 messages, tokenised and split (skipped with a printed reason
//! when the folder is absent).

mod common;

use std::time::Instant;

use ember::burn::data::dataloader::batcher::Batcher;
use ember::burn::data::dataset::Dataset;
use ember::burn::prelude::*;
use ember::data::{
    stratified_split, EncoderConfig, Origin, SpamAssassinSource, TextBatcher, TextEncoder,
    TextItem, Tokenizer, TokenizerConfig, VocabConfig, Vocabulary, SPAM_ASSASSIN_TARBALL,
};
use ember::train::Labelled;

/// The input of a text classifier (`Classifier::Input`): token ids and lengths.
type TextInput = (Tensor<2, Int>, Tensor<1, Int>);

fn labelled_batches<B: Batcher<TextItem, Labelled<TextInput>>>(batcher: &B) -> &B {
    batcher
}

#[test]
fn text_batches_are_labelled_token_ids_and_lengths() {
    let tokenizer = Tokenizer::default();
    let docs = ["spam spam eggs", "垃圾 邮件"].map(|t| tokenizer.tokenize(t));
    let vocab = Vocabulary::build(&docs, &VocabConfig::default()).unwrap();
    let encoder = TextEncoder::new(tokenizer, vocab, EncoderConfig::default()).unwrap();
    let batcher = TextBatcher::new(encoder);
    let items = vec![
        TextItem {
            text: "垃圾邮件 spam".into(),
            label: 1,
        },
        TextItem {
            text: "eggs".into(),
            label: 0,
        },
    ];
    let ((tokens, lengths), targets) = labelled_batches(&batcher).batch(items, &Device::flex());
    // Counts: spam 2, then eggs, 件 (U+4EF6), 圾 (U+573E), 垃 (U+5783), 邮 (U+90AE) once
    // each, ties in byte (= code point) order: <pad> 0, <unk> 1, spam 2, eggs 3, 件 4, 圾 5,
    // 垃 6, 邮 7.
    let ints = |t: Tensor<1, Int>| t.into_data().convert::<i64>().try_to_vec::<i64>().unwrap();
    assert_eq!(ints(tokens.flatten(0, 1)), [6, 5, 7, 4, 2, 3, 0, 0, 0, 0]);
    assert_eq!((ints(lengths), ints(targets)), (vec![5, 1], vec![1, 0]));
}

#[test]
fn spam_assassin_has_the_published_counts_and_decodes_to_text() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let source = SpamAssassinSource {
        data_dir: Some(shared.join("spam-assassin")),
        cache_dir: cache.path().to_path_buf(),
        packages: false,
        verbose: false,
    };
    let started = Instant::now();
    let data = source.load().unwrap();
    eprintln!(
        "read, verified and parsed the {} messages of {} in {:.2} s",
        data.dataset.len(),
        SPAM_ASSASSIN_TARBALL.name,
        started.elapsed().as_secs_f64()
    );
    assert!(
        matches!(data.origin, Origin::Folder { verified: true, .. }),
        "{}",
        data.origin
    );
    let ds = &data.dataset;
    assert_eq!(ds.len(), 6_046);
    assert_eq!(ds.class_counts(), [4_150, 1_896]);
    // spam-2/00001.317e78fa8ee2f54cd4890fdc09ba8176.txt, the first spam-2 message.
    let first_spam_2 = 2_500 + 1_400 + 250 + 500;
    let text = &ds.texts()[first_spam_2];
    assert!(
        text.starts_with("[ILUG] STOP THE MLM INSANITY\nGreetings!"),
        "{}",
        &text[..200.min(text.len())]
    );
    let empty = ds.texts().iter().filter(|t| t.trim().is_empty()).count();
    let with_tags = ds
        .texts()
        .iter()
        .filter(|t| t.contains("<html") || t.contains("<HTML") || t.contains("</p>"))
        .count();
    eprintln!("{empty} messages without text, {with_tags} with HTML tags left in the text");
    assert!(empty <= 5, "{empty} messages decoded to no text at all");

    let split = stratified_split(ds.labels(), 0.1, 0.1, 42).unwrap();
    let spam = |part: &[usize]| part.iter().filter(|&&i| ds.labels()[i] == 1).count();
    // 10 % of 4,150 ham = 415, of 1,896 spam = 189.6 → 190.
    assert_eq!((split.valid.len(), spam(&split.valid)), (605, 190));
    assert_eq!((split.test.len(), spam(&split.test)), (605, 190));

    let train = ds.select(&split.train);
    let started = Instant::now();
    let vocab = VocabConfig {
        min_freq: 2,
        max_size: Some(30_000),
    };
    let encoder = TextEncoder::fit(
        &train,
        TokenizerConfig::default(),
        &vocab,
        EncoderConfig::default(),
    )
    .unwrap();
    let lengths = encoder.lengths(ds);
    eprintln!(
        "vocabulary of {} tokens from {} training messages, all {} encoded, in {:.2} s; \
         mean length {:.1} tokens (max_len {})",
        encoder.vocab().len(),
        train.len(),
        ds.len(),
        started.elapsed().as_secs_f64(),
        lengths.iter().sum::<usize>() as f64 / lengths.len() as f64,
        encoder.config().max_len
    );
    assert_eq!(encoder.vocab().len(), 30_000);
    assert!(encoder.vocab().id("<url>") > 1 && encoder.vocab().id("<email>") > 1);
}
