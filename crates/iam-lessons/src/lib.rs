//! # iam-lessons
//!
//! The Learn course of the playground: lessons that teach how AWS decides, each a folder
//! of data under `web/lessons/` (see its README): `lesson.md`, `scenario.json`,
//! `exercises.json`.
//!
//! - [`model`]: the course as the web reads it ([`Course`], [`Lesson`], [`Exercise`]) and the
//!   grading helpers the Learn view uses ([`Predict::grade`], [`Predict::evaluate`],
//!   [`Fix::check`], [`WriteRequest::check`], [`explain`] for the engine's explanation of the
//!   deciding step, [`Exercise::scenario`] for "Open in playground", [`policy_slot_mut`] to
//!   apply an edited policy) — the same functions the validating test uses.
//! - [`progress`]: the learner's progress, for localStorage.
//! - With the default `build` feature: [`source`] reads lesson folders, [`render`] turns
//!   markdown into safe HTML (pulldown-cmark), [`validate`] checks every exercise against
//!   the engine, [`bundle`] writes the one JSON file the web fetches (`lessons-bundle`).
//!
//! The web needs only the types: `iam-lessons = { path = "…", default-features = false }`
//! (no markdown or TOML code), and fetches the bundle when the Learn view opens.
//!
//! ```
//! use iam_lessons::{Course, Exercise};
//! # let json = r#"{"format":1,"lessons":[]}"#;
//! let course = Course::from_json(json).unwrap();
//! for lesson in &course.lessons {
//!     for e in &lesson.exercises {
//!         if let Exercise::Predict(p) = e { let _ = p.evaluate(lesson); }
//!     }
//! }
//! ```

pub mod model;
pub mod progress;

#[cfg(feature = "build")]
pub mod bundle;
#[cfg(feature = "build")]
pub mod render;
#[cfg(feature = "build")]
pub mod source;
#[cfg(feature = "build")]
pub mod validate;

pub use model::{
    changed_fields, evaluate_all, evaluate_named, explain, policy_ids, policy_slot,
    policy_slot_mut, Course, DocLink, Exercise, Fix, FixOutcome, Lesson, Predict, PredictGrade,
    RequestField, RequestOutcome, StatementPick, WriteRequest, BUNDLE_FORMAT,
};
pub use progress::Progress;
