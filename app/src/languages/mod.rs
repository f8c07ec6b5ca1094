//! Languages: the ones a survey offers, its texts translated into each, which one a
//! person's page is in, and the respondent pages' own words in it.
pub mod card;
pub mod model;

#[cfg(feature = "ssr")]
pub mod choice;
#[cfg(feature = "ssr")]
pub mod content;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod use_cases;
#[cfg(feature = "ssr")]
pub mod words;
