//! AG News (Zhang, Zhao & LeCun 2015): 120,000 training and 7,600 test news articles in
//! four classes, in its official CSV layout `class,title,description`: where it comes
//! from ([`AgNewsSource`]) and how its files parse ([`parse_ag_news_csv`]).

mod parse;
mod source;

pub use parse::{parse_ag_news_csv, read_ag_news_csv, AG_NEWS_CLASSES};
pub use source::{AgNewsData, AgNewsFile, AgNewsSource, AG_NEWS_TEST, AG_NEWS_TRAIN};
