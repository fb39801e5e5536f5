//! The learner's progress, as the Learn view keeps it in localStorage (suggested key:
//! [`STORAGE_KEY`]). Exercise ids are unique across the course, but progress is kept per
//! lesson so that a lesson's completion is cheap to show in the lesson list.

use crate::model::{Course, Lesson};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The localStorage key the Learn view should use.
pub const STORAGE_KEY: &str = "iam-playground/learn/v1";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Lesson id → ids of the exercises done in it.
    #[serde(default)]
    pub done: BTreeMap<String, BTreeSet<String>>,
    /// The lesson open last, to resume at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
}

impl Progress {
    /// Reads saved progress; anything unreadable is a fresh start, never an error.
    pub fn from_json(text: &str) -> Progress {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn mark_done(&mut self, lesson: &str, exercise: &str) {
        self.done
            .entry(lesson.to_string())
            .or_default()
            .insert(exercise.to_string());
    }

    pub fn is_done(&self, lesson: &str, exercise: &str) -> bool {
        self.done.get(lesson).is_some_and(|s| s.contains(exercise))
    }

    /// Exercises of the lesson done, and its number of exercises (ids no longer in the
    /// lesson are not counted).
    pub fn lesson_progress(&self, lesson: &Lesson) -> (usize, usize) {
        let done = lesson
            .exercises
            .iter()
            .filter(|e| self.is_done(&lesson.id, e.id()))
            .count();
        (done, lesson.exercises.len())
    }

    pub fn lesson_complete(&self, lesson: &Lesson) -> bool {
        let (done, total) = self.lesson_progress(lesson);
        done == total
    }

    /// The first lesson not complete (where "Continue" should go).
    pub fn next_lesson<'a>(&self, course: &'a Course) -> Option<&'a Lesson> {
        course.lessons.iter().find(|l| !self.lesson_complete(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_tolerates_garbage() {
        let mut p = Progress::default();
        p.mark_done("01-what-a-request-is", "read-own-object");
        p.last = Some("01-what-a-request-is".into());
        let back = Progress::from_json(&p.to_json());
        assert_eq!(back, p);
        assert!(back.is_done("01-what-a-request-is", "read-own-object"));
        assert!(!back.is_done("01-what-a-request-is", "other"));
        assert_eq!(Progress::from_json("{not json"), Progress::default());
    }
}
