//! The web bundle: one JSON file with every lesson (text rendered to HTML, scenario and
//! exercises with their texts rendered), written by `lessons-bundle` at build time and
//! fetched by the Learn view when it opens.

use crate::model::{Course, Lesson, BUNDLE_FORMAT};
use crate::render::render_markdown;
use crate::source::SourceLesson;

/// The course as the web reads it. Rendering problems are not reported here: run
/// [`crate::validate::validate`] first (the generator refuses a course with problems).
pub fn build_course(lessons: &[SourceLesson]) -> Course {
    let mut lessons: Vec<&SourceLesson> = lessons.iter().collect();
    lessons.sort_by_key(|l| l.number);
    Course {
        format: BUNDLE_FORMAT,
        lessons: lessons
            .into_iter()
            .map(|l| Lesson {
                id: l.id.clone(),
                number: l.number,
                slug: l.slug.clone(),
                title: l.front.title.clone(),
                summary: l.front.summary.clone(),
                docs: l.front.docs.clone(),
                html: render_markdown(&l.body).html,
                scenario: l.scenario.clone(),
                exercises: l
                    .exercises
                    .iter()
                    .cloned()
                    .map(|mut e| {
                        e.map_text(|t| render_markdown(t).html);
                        e
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The bundle's JSON text (compact).
pub fn bundle_json(course: &Course) -> String {
    serde_json::to_string(course).unwrap_or_default()
}
