use gloo::events::EventListener;
use yew::prelude::*;

use super::gallery::Gallery;
use super::policies::PolicyPanel;
use super::requests::RequestPanel;
use super::toolbar::Toolbar;
use super::Store;
use crate::browser;
use crate::catalog::CatalogStatus;
use crate::state::{Action, State};

#[derive(Properties, Clone, PartialEq)]
pub struct AppProps {
    /// Start from this workspace instead of the address/autosave (component tests).
    #[prop_or_default]
    pub initial: Option<crate::model::Workspace>,
    /// Keep the autosave out of it (component tests).
    #[prop_or(true)]
    pub persist: bool,
}

/// What the page mounts (`yew::Renderer::new` uses `Default`): the address or the autosave,
/// and autosave on.
impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            initial: None,
            persist: true,
        }
    }
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let store: Store = use_reducer(move || match initial {
        Some(ws) => State::new(ws, None),
        None => State::new(browser::initial_workspace(), None),
    });

    // Autosave: every change of the workspace goes to localStorage.
    {
        let store = store.clone();
        let persist = props.persist;
        use_effect_with(store.revision, move |_| {
            if persist {
                browser::save(&store.ws);
            }
        });
    }

    // The service catalog, lazily: after the first render (crate::catalog).
    {
        let dispatcher = store.dispatcher();
        use_effect_with((), move |_| {
            crate::catalog::start(move |r| dispatcher.dispatch(Action::CatalogLoaded(r)));
        });
    }

    // The AWS managed policies, lazily: only once the picker opens or a scenario references
    // one, and once the lazy part (which holds the engine that reads them) is there.
    {
        let dispatcher = store.dispatcher();
        let wanted = store.wants_managed()
            && store.catalog == CatalogStatus::Ready
            && store.managed == crate::managed::ManagedStatus::NotLoaded;
        use_effect_with(wanted, move |wanted| {
            if *wanted {
                dispatcher.dispatch(Action::ManagedLoading);
                crate::managed::start(move |r| dispatcher.dispatch(Action::ManagedLoaded(r)));
            }
        });
    }

    // A share link in the address: the one the page was opened with (when the page is not
    // given its workspace), then any pasted into the address bar of the open playground.
    {
        let dispatcher = store.dispatcher();
        let startup = props.initial.is_none();
        use_effect_with((), move |_| {
            if startup {
                let d = dispatcher.clone();
                browser::open_link_in_address(true, move |a| d.dispatch(a));
            }
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let d = dispatcher.clone();
                    browser::open_link_in_address(false, move |a| d.dispatch(a));
                })
            });
            move || drop(listener)
        });
    }

    // The Learn view (#learn/<lesson>): its own WebAssembly, loaded when it opens (crate::learn).
    if crate::learn::host::use_learn_view() {
        return html! { <div class="app app-learn">{ crate::learn::host::host() }</div> };
    }

    let notice = store.notice.clone();
    let dismiss = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::DismissNotice))
    };
    let kept = store.kept.clone();
    let restore = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Restore))
    };
    let forget = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::DismissKept))
    };
    html! {
        <ContextProvider<Store> context={store.clone()}>
            <div class="app" data-revision={store.revision.to_string()}
                data-catalog={match store.catalog { CatalogStatus::Loading => "loading", CatalogStatus::Ready => "ready", CatalogStatus::Failed(_) => "failed" }}>
                <a class="skip-link" href="#requests-heading">{ "Skip to requests" }</a>
                <Toolbar />
                <div class="status-line" role="status" aria-live="polite" aria-atomic="true">
                    if let Some(n) = notice {
                        <span class={classes!("notice", n.error.then_some("notice-error"))}>
                            { n.text }
                            <button class="link-button" onclick={dismiss} aria-label="Dismiss message">{ "×" }</button>
                        </span>
                    }
                    if let Some(k) = kept {
                        <span class="notice notice-kept">
                            { k.what.clone() }{ " " }
                            <button id="restore-kept" onclick={restore}>{ k.button.clone() }</button>
                            <button class="link-button" onclick={forget} aria-label="Dismiss: keep the current scenario">{ "×" }</button>
                        </span>
                    }
                </div>
                <main class="workspace">
                    <PolicyPanel />
                    <RequestPanel />
                </main>
                <footer class="footer">
                    { "Runs entirely in your browser: nothing you type is sent anywhere. Works offline after the first visit." }
                </footer>
                if store.gallery_open { <Gallery /> }
                if store.picker.is_some() { <super::managed::ManagedPicker /> }
                if store.diff.is_some() { <super::managed::DiffDialog /> }
            </div>
        </ContextProvider<Store>>
    }
}
