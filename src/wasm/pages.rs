//! Every page of a list: `listAllVirtualMachines` (pages fetched
//! concurrently, items in API order) and `virtualMachines` (a lazy async
//! iterator). The core plans which pages to fetch; this layer fetches them.

use super::client::{org_lookup, promise, Inner, KatapultClient, Options};
use super::js::{async_iterable, callback_of, get};
use super::signal::Scope;
use crate::endpoints::virtual_machines;
use crate::error::Error;
use crate::lookup::OrganizationLookup;
use crate::paginate::{
    check_page, is_last_page, next_page, plan, ListAllOptions, Pagination, Plan,
};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    /// `ListAllVirtualMachinesOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "ListAllVirtualMachinesOptions")]
    pub type JsListAllVirtualMachinesOptions;
    /// `VirtualMachinesIteratorOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "VirtualMachinesIteratorOptions")]
    pub type JsVirtualMachinesIteratorOptions;
}

/// One checked page: its pagination (for the core's decisions) and its VMs.
struct Page {
    pagination: Pagination,
    items: Array,
}

impl Page {
    fn read(body: &JsValue) -> Page {
        let p = get(body, "pagination");
        let int = |k: &str| get(&p, k).as_f64().map(|f| f as i64);
        Page {
            pagination: Pagination {
                current_page: int("current_page"),
                total_pages: int("total_pages"),
                total: int("total"),
                per_page: int("per_page"),
                large_set: get(&p, "large_set").as_bool(),
            },
            items: get(body, "virtual_machines").dyn_into().unwrap_or_default(),
        }
    }

    fn len(&self) -> usize {
        self.items.length() as usize
    }
}

async fn fetch_page(
    inner: &Inner,
    org: &OrganizationLookup,
    options: &ListAllOptions,
    page: u32,
    signal: Option<&AbortSignal>,
) -> Result<Page, Error> {
    let call = virtual_machines::list(org, &options.page(page));
    let body = Page::read(&inner.call(&call, signal).await?);
    check_page(page, &body.pagination)?;
    Ok(body)
}

/// Reports `(items loaded, total or null)` to the caller's `onProgress`;
/// a callback that throws is ignored.
#[derive(Clone)]
struct Progress {
    callback: Option<Function>,
    loaded: Rc<Cell<usize>>,
    total: JsValue,
}

impl Progress {
    fn add(&self, items: usize) {
        self.loaded.set(self.loaded.get() + items);
        if let Some(callback) = &self.callback {
            let loaded = JsValue::from_f64(self.loaded.get() as f64);
            let _ = callback.call2(&JsValue::UNDEFINED, &loaded, &self.total);
        }
    }
}

/// Fetches every page; the rest after the first with at most
/// `options.concurrency` requests in flight. The first failure cancels the
/// requests still in flight and is the result.
async fn list_all(
    inner: Rc<Inner>,
    org: OrganizationLookup,
    options: ListAllOptions,
    scope: &Scope,
    on_progress: Option<Function>,
) -> Result<Array, Error> {
    let signal = scope.signal();
    let first = fetch_page(&inner, &org, &options, 1, Some(&signal)).await?;
    let total = match first.pagination.total {
        Some(total) if first.pagination.large_set != Some(true) => JsValue::from_f64(total as f64),
        _ => JsValue::NULL,
    };
    let progress = Progress {
        callback: on_progress,
        loaded: Rc::new(Cell::new(0)),
        total,
    };
    progress.add(first.len());
    // The pages' item arrays, in page order; flattened once at the end.
    let pages = Array::of1(&first.items);
    match plan(&first.pagination, first.len(), options.per_page())? {
        Plan::Done => {}
        Plan::Sequential => {
            let mut page: u32 = 1;
            loop {
                page = next_page(page)?;
                let next = fetch_page(&inner, &org, &options, page, Some(&signal)).await?;
                let last = is_last_page(&next.pagination, next.len(), options.per_page());
                progress.add(next.len());
                pages.push(&next.items);
                if last {
                    break;
                }
            }
        }
        Plan::Pages(rest) => {
            let rest: Rc<Vec<u32>> = Rc::new(rest.collect());
            let slots = Rc::new(RefCell::new(vec![Array::new(); rest.len()]));
            let next_index = Rc::new(Cell::new(0usize));
            let failure: Rc<RefCell<Option<Error>>> = Rc::new(RefCell::new(None));
            let org = Rc::new(org);
            let options = Rc::new(options);
            let workers = Array::new();
            for _ in 0..rest.len().min(options.concurrency as usize) {
                let (inner, org, options) = (inner.clone(), org.clone(), options.clone());
                let (rest, slots, next_index) = (rest.clone(), slots.clone(), next_index.clone());
                let (failure, signal, controller) =
                    (failure.clone(), signal.clone(), scope.controller());
                let progress = progress.clone();
                workers.push(&future_to_promise(async move {
                    while failure.borrow().is_none() {
                        let index = next_index.get();
                        let Some(page) = rest.get(index).copied() else {
                            break;
                        };
                        next_index.set(index + 1);
                        match fetch_page(&inner, &org, &options, page, Some(&signal)).await {
                            Ok(r) => {
                                progress.add(r.len());
                                if let Some(slot) = slots.borrow_mut().get_mut(index) {
                                    *slot = r.items;
                                }
                            }
                            Err(e) => {
                                failure.borrow_mut().get_or_insert(e);
                                controller.abort();
                            }
                        }
                    }
                    Ok(JsValue::UNDEFINED)
                }));
            }
            // Workers never reject: their errors land in `failure`.
            let _ = JsFuture::from(Promise::all(&workers)).await;
            if let Some(e) = failure.borrow_mut().take() {
                return Err(e);
            }
            for items in slots.take() {
                pages.push(&items);
            }
        }
    }
    Ok(pages.flat(1))
}

/// The state behind a `virtualMachines` iterator.
struct Walk {
    inner: Rc<Inner>,
    /// The validated arguments, or why they are not valid (reported by the first `next()`).
    setup: Result<(OrganizationLookup, ListAllOptions), Error>,
    signal: Option<AbortSignal>,
    buffer: VecDeque<JsValue>,
    next_page: u32,
    /// No more pages to fetch.
    exhausted: bool,
    /// The consumer stopped (`return()`, e.g. `break`) or a page failed.
    closed: bool,
}

/// `{ value, done }` for an async iterator.
fn iter_result(value: Option<JsValue>) -> JsValue {
    let result = Object::new();
    let done = value.is_none();
    let _ = Reflect::set(
        &result,
        &"value".into(),
        &value.unwrap_or(JsValue::UNDEFINED),
    );
    let _ = Reflect::set(&result, &"done".into(), &done.into());
    result.into()
}

/// One `next()`: an item from the buffer, else the next page, else done.
async fn step(walk: Rc<RefCell<Walk>>) -> Result<JsValue, Error> {
    loop {
        let (inner, org, options, page, signal) = {
            let mut w = walk.borrow_mut();
            if w.closed {
                return Ok(iter_result(None));
            }
            if let Some(vm) = w.buffer.pop_front() {
                return Ok(iter_result(Some(vm)));
            }
            if w.exhausted {
                return Ok(iter_result(None));
            }
            let (org, options) = match &w.setup {
                Ok(setup) => setup.clone(),
                Err(e) => {
                    let e = e.clone();
                    w.closed = true;
                    return Err(e);
                }
            };
            (w.inner.clone(), org, options, w.next_page, w.signal.clone())
        };
        let result = fetch_page(&inner, &org, &options, page, signal.as_ref()).await;
        let mut w = walk.borrow_mut();
        // Any failure (the page, or a walk past MAX_PAGES) ends the iteration.
        let fetched = result.and_then(|r| Ok((next_page(page)?, r)));
        match fetched {
            Err(e) => {
                w.closed = true;
                return Err(e);
            }
            Ok((next, r)) => {
                w.exhausted = is_last_page(&r.pagination, r.len(), options.per_page());
                w.next_page = next;
                w.buffer.extend(r.items.iter());
            }
        }
    }
}

/// A lazy async iterator over an organization's virtual machines: it
/// fetches a page only when its items are needed, and stops when the
/// consumer stops (`break` in `for await`).
#[wasm_bindgen]
pub struct VirtualMachineIterator {
    walk: Rc<RefCell<Walk>>,
    /// The last `next()`, so calls run one after another.
    tail: RefCell<Option<Promise>>,
}

#[wasm_bindgen]
impl VirtualMachineIterator {
    /// The next virtual machine, fetching the next page when needed.
    #[wasm_bindgen(
        unchecked_return_type = "Promise<IteratorResult<VirtualMachineSummary, undefined>>"
    )]
    pub fn next(&self) -> Promise {
        let previous = self.tail.borrow_mut().take();
        let walk = self.walk.clone();
        let next = promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            step(walk).await
        });
        *self.tail.borrow_mut() = Some(next.clone());
        next
    }

    /// Stops the iteration: nothing more is fetched.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<VirtualMachineSummary, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        {
            let mut w = self.walk.borrow_mut();
            w.closed = true;
            w.buffer.clear();
        }
        Promise::resolve(&iter_result(None))
    }
}

#[wasm_bindgen]
impl KatapultClient {
    /// Every virtual machine of an organization, in API order. Fetches page
    /// 1, then the remaining pages with at most `concurrency` (default 4)
    /// requests in flight; for a large set (no page count) it walks pages
    /// one by one until a short page. `onProgress(loaded, total)` is called
    /// after each page (`total` is null for a large set).
    #[wasm_bindgen(js_name = listAllVirtualMachines, unchecked_return_type = "Promise<VirtualMachineSummary[]>")]
    pub fn list_all_virtual_machines(
        &self,
        org: super::client::JsOrganizationLookup,
        options: Option<JsListAllVirtualMachinesOptions>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let org = org_lookup(&org)?;
            let options = Options::read(options.map(Into::into))?;
            let list = ListAllOptions::parse(Some(&options.json), true)?;
            let on_progress = callback_of(&options.raw, "onProgress")?;
            let scope = Scope::new(options.signal, None)?;
            Ok(list_all(inner, org, list, &scope, on_progress)
                .await?
                .into())
        })
    }

    /// An async iterator over every virtual machine of an organization
    /// (`for await (const vm of client.virtualMachines(org))`). Pages are
    /// fetched lazily, one at a time; breaking out stops the fetching.
    /// Argument errors reject the first `next()`.
    #[wasm_bindgen(js_name = virtualMachines, unchecked_return_type = "AsyncIterableIterator<VirtualMachineSummary>")]
    pub fn virtual_machines(
        &self,
        org: super::client::JsOrganizationLookup,
        options: Option<JsVirtualMachinesIteratorOptions>,
    ) -> JsValue {
        let options = Options::read(options.map(Into::into));
        let (setup, signal) = match options {
            Ok(options) => {
                let setup = org_lookup(&org)
                    .and_then(|org| Ok((org, ListAllOptions::parse(Some(&options.json), false)?)));
                (setup, options.signal)
            }
            Err(e) => (Err(e), None),
        };
        let walk = Walk {
            inner: self.inner.clone(),
            setup,
            signal,
            buffer: VecDeque::new(),
            next_page: 1,
            exhausted: false,
            closed: false,
        };
        let iterator = VirtualMachineIterator {
            walk: Rc::new(RefCell::new(walk)),
            tail: RefCell::new(None),
        };
        async_iterable(iterator.into())
    }
}
