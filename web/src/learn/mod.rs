//! The Learn view (`#learn`, `#learn/<lesson>`): the course of `web/lessons/` (crate
//! `iam-lessons`), taught by the engine itself.
//!
//! None of it is in the playground's first load. The playground's App only knows the route
//! ([`route`]) and renders a host element ([`host::host`], opened by
//! [`host::use_learn_view`]); the page's `IamLearn.open` (index.html) then imports the Learn view's own WebAssembly (`iam-learn.js`, the binary
//! `src/learn/main.rs`, which links this module) and the course (`lessons.json`, written at
//! build time by `lessons-bundle`), and calls [`mount`]. The service worker caches both.
//!
//! - [`route`]: `#learn/<lesson>` ⇄ what to show
//! - [`state`]: the reducer (course, progress in localStorage, answers, hints, what the
//!   workbench holds) and the grading of the workbench through `iam-lessons`' helpers
//! - [`view`]: the components: lesson list, lesson page, exercises; the workbench is the
//!   playground's own policy editor and request table (`crate::components`) on its own store

pub mod host;
pub mod route;
pub mod state;
pub mod view;

/// Mounts the Learn view on `root` with the course bundle `course_json` (called by the
/// `iam-learn` binary's `mount`, from `IamLearn.open`). A second call (the view reopened
/// after a visit to the playground) replaces the first app.
pub fn mount(root: web_sys::Element, course_json: &str) {
    use std::cell::RefCell;
    thread_local! {
        static APP: RefCell<Option<yew::AppHandle<view::LearnApp>>> = const { RefCell::new(None) };
    }
    add_style();
    let props = match iam_lessons::Course::from_json(course_json) {
        Ok(course) => view::LearnAppProps {
            course: Some(std::rc::Rc::new(course)),
            error: None,
        },
        Err(e) => view::LearnAppProps {
            course: None,
            error: Some(e),
        },
    };
    APP.with(|app| {
        if let Some(old) = app.borrow_mut().take() {
            old.destroy();
        }
        root.set_inner_html("");
        let _ = root.remove_attribute("role");
        let handle = yew::Renderer::<view::LearnApp>::with_root_and_props(root, props).render();
        *app.borrow_mut() = Some(handle);
    });
}

/// The Learn view's styles (learn.css), added to the page once, when the view first opens
/// (so they are not in the first load either). They use the playground's theme variables.
fn add_style() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("learn-style").is_some() {
        return;
    }
    if let (Ok(style), Some(head)) = (doc.create_element("style"), doc.head()) {
        style.set_id("learn-style");
        style.set_text_content(Some(include_str!("learn.css")));
        let _ = head.append_child(&style);
    }
}
