//! Every page of any paginated operation: `paginate` (pages fetched
//! concurrently, items in API order) and `iterate` (a lazy async
//! iterator), and the VM list's own `listAllVirtualMachines` and
//! `virtualMachines` on top of them. The core plans which pages to fetch;
//! this layer fetches them.

use super::client::{
    annotations_arg, operation_arg, org_lookup, promise, Inner, KatapultClient, Options,
};
use super::js::{async_iterable, callback_of, get, to_json};
use super::signal::Scope;
use crate::args::annotations;
use crate::error::Error;
use crate::generated::operations as ops;
use crate::operation::{Naming, Operation};
use crate::paginate::{
    check_page, is_last_page, next_page, page_params, plan, walkable, PageOptions, Pagination, Plan,
};
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::Value;
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

/// A walk over every page of one operation with fixed arguments.
#[derive(Clone)]
struct Walk {
    op: &'static Operation,
    items: &'static str,
    params: Value,
    options: PageOptions,
}

impl Walk {
    fn new(op: &'static Operation, params: Value, options: PageOptions) -> Result<Walk, Error> {
        let items = walkable(op, &params)?;
        Ok(Walk {
            op,
            items,
            params,
            options,
        })
    }

    async fn fetch(
        &self,
        inner: &Rc<Inner>,
        page: u32,
        signal: Option<&AbortSignal>,
    ) -> Result<Page, Error> {
        let params = page_params(&self.params, page, self.options.per_page);
        let call = self.op.call(&params, &Naming::PARAMS)?;
        let body = Page::read(&inner.call(&call, signal).await?, self.items);
        check_page(page, &body.pagination)?;
        Ok(body)
    }

    fn last(&self, page: &Page) -> bool {
        is_last_page(&page.pagination, page.len(), self.options.per_page)
    }
}

/// One checked page: its pagination (for the core's decisions) and its items.
struct Page {
    pagination: Pagination,
    items: Array,
}

impl Page {
    fn read(body: &JsValue, items: &str) -> Page {
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
            items: get(body, items).dyn_into().unwrap_or_default(),
        }
    }

    fn len(&self) -> usize {
        self.items.length() as usize
    }
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
/// `concurrency` requests in flight. The first failure cancels the
/// requests still in flight and is the result.
async fn collect(
    inner: Rc<Inner>,
    walk: Walk,
    scope: &Scope,
    on_progress: Option<Function>,
) -> Result<Array, Error> {
    let signal = scope.signal();
    let first = walk.fetch(&inner, 1, Some(&signal)).await?;
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
    match plan(&first.pagination, first.len(), walk.options.per_page)? {
        Plan::Done => {}
        Plan::Sequential => {
            let mut page: u32 = 1;
            loop {
                page = next_page(page)?;
                let next = walk.fetch(&inner, page, Some(&signal)).await?;
                let last = walk.last(&next);
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
            let walk = Rc::new(walk);
            let workers = Array::new();
            for _ in 0..rest.len().min(walk.options.concurrency as usize) {
                let (inner, walk) = (inner.clone(), walk.clone());
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
                        match walk.fetch(&inner, page, Some(&signal)).await {
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

/// The state behind an iterator.
struct Cursor {
    inner: Rc<Inner>,
    /// The walk, or why its arguments are not valid (reported by the first `next()`).
    walk: Result<Walk, Error>,
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
async fn step(cursor: Rc<RefCell<Cursor>>) -> Result<JsValue, Error> {
    loop {
        let (inner, walk, page, signal) = {
            let mut c = cursor.borrow_mut();
            if c.closed {
                return Ok(iter_result(None));
            }
            if let Some(item) = c.buffer.pop_front() {
                return Ok(iter_result(Some(item)));
            }
            if c.exhausted {
                return Ok(iter_result(None));
            }
            let walk = match &c.walk {
                Ok(walk) => walk.clone(),
                Err(e) => {
                    let e = e.clone();
                    c.closed = true;
                    return Err(e);
                }
            };
            (c.inner.clone(), walk, c.next_page, c.signal.clone())
        };
        let result = walk.fetch(&inner, page, signal.as_ref()).await;
        let mut c = cursor.borrow_mut();
        // Any failure (the page, or a walk past MAX_PAGES) ends the iteration.
        let fetched = result.and_then(|r| Ok((next_page(page)?, r)));
        match fetched {
            Err(e) => {
                c.closed = true;
                return Err(e);
            }
            Ok((next, r)) => {
                c.exhausted = walk.last(&r);
                c.next_page = next;
                c.buffer.extend(r.items.iter());
            }
        }
    }
}

/// A lazy async iterator over the items of every page of an operation: it
/// fetches a page only when its items are needed, and stops when the
/// consumer stops (`break` in `for await`).
#[wasm_bindgen]
pub struct PageIterator {
    cursor: Rc<RefCell<Cursor>>,
    /// The last `next()`, so calls run one after another.
    tail: RefCell<Option<Promise>>,
}

#[wasm_bindgen]
impl PageIterator {
    /// The next item, fetching the next page when needed.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>")]
    pub fn next(&self) -> Promise {
        let previous = self.tail.borrow_mut().take();
        let cursor = self.cursor.clone();
        let next = promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            step(cursor).await
        });
        *self.tail.borrow_mut() = Some(next.clone());
        next
    }

    /// Stops the iteration: nothing more is fetched.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        {
            let mut c = self.cursor.borrow_mut();
            c.closed = true;
            c.buffer.clear();
        }
        Promise::resolve(&iter_result(None))
    }
}

/// A walk's options object, read, and the walk `setup` makes of it.
fn prepare(
    options: JsValue,
    setup: impl FnOnce(&Options) -> Result<Walk, Error>,
) -> Result<(Walk, Options), Error> {
    let options = Options::read(Some(options))?;
    Ok((setup(&options)?, options))
}

impl KatapultClient {
    /// Every item of every page, as a promise (argument errors reject it).
    fn collect_pages(&self, prepared: Result<(Walk, Options), Error>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let (walk, options) = prepared?;
            let on_progress = callback_of(&options.raw, "onProgress")?;
            let scope = Scope::new(options.signal, None)?;
            Ok(collect(inner, walk, &scope, on_progress).await?.into())
        })
    }

    /// An iterator; argument errors reject its first `next()`.
    fn iterator(&self, prepared: Result<(Walk, Options), Error>) -> JsValue {
        let (walk, signal) = match prepared {
            Ok((walk, options)) => (Ok(walk), options.signal),
            Err(e) => (Err(e), None),
        };
        let cursor = Cursor {
            inner: self.inner.clone(),
            walk,
            signal,
            buffer: VecDeque::new(),
            next_page: 1,
            exhausted: false,
            closed: false,
        };
        let iterator = PageIterator {
            cursor: Rc::new(RefCell::new(cursor)),
            tail: RefCell::new(None),
        };
        async_iterable(iterator.into())
    }
}

/// The VM list's walk: the organization and optional annotations.
fn vm_walk(org: &JsValue, options: &Options, with_concurrency: bool) -> Result<Walk, Error> {
    let org = org_lookup(org)?;
    let pages = PageOptions::parse(Some(&options.json), with_concurrency, &["annotations"])?;
    let list = annotations(options.json.get("annotations"), "options.annotations")?;
    let mut params = serde_json::Map::new();
    params.insert("organization".into(), org);
    if !list.is_empty() {
        params.insert("annotations".into(), annotations_arg(&list));
    }
    Walk::new(
        ops::GET_ORGANIZATION_VIRTUAL_MACHINES,
        Value::Object(params),
        pages,
    )
}

/// A walk over any paginated operation.
fn op_walk(
    (index, id): (&JsValue, &JsValue),
    params: &JsValue,
    options: &Options,
    with_concurrency: bool,
) -> Result<Walk, Error> {
    let op = operation_arg(index, id)?;
    let params = to_json(params, "params")?;
    let pages = PageOptions::parse(Some(&options.json), with_concurrency, &[])?;
    let walk = Walk::new(op, params, pages)?;
    // The arguments are checked now, not at the first page.
    op.call(
        &page_params(&walk.params, 1, pages.per_page),
        &Naming::PARAMS,
    )?;
    Ok(walk)
}

#[wasm_bindgen]
impl KatapultClient {
    /// Every item of every page of a paginated operation, in API order:
    /// page 1, then the other pages `concurrency` (default 4) at a time (a
    /// large set, which has no page count, one by one until a short page).
    /// `onProgress(loaded, total)` after each page.
    #[wasm_bindgen(js_name = "__paginate", skip_typescript)]
    pub fn paginate(
        &self,
        index: JsValue,
        operation_id: JsValue,
        params: JsValue,
        options: JsValue,
    ) -> Promise {
        self.collect_pages(prepare(options, |o| {
            op_walk((&index, &operation_id), &params, o, true)
        }))
    }

    /// A lazy async iterator over the items of a paginated operation: a
    /// page is fetched only when its items are needed; `break` stops it.
    #[wasm_bindgen(js_name = "__iterate", skip_typescript)]
    pub fn iterate(
        &self,
        index: JsValue,
        operation_id: JsValue,
        params: JsValue,
        options: JsValue,
    ) -> JsValue {
        self.iterator(prepare(options, |o| {
            op_walk((&index, &operation_id), &params, o, false)
        }))
    }

    /// Every virtual machine of an organization, in API order (`paginate`
    /// over `get:organization_virtual_machines`).
    #[wasm_bindgen(js_name = listAllVirtualMachines, unchecked_return_type = "Promise<VirtualMachineSummary[]>")]
    pub fn list_all_virtual_machines(
        &self,
        org: super::client::JsOrganizationLookup,
        options: Option<JsListAllVirtualMachinesOptions>,
    ) -> Promise {
        let options = options.map_or(JsValue::UNDEFINED, Into::into);
        self.collect_pages(prepare(options, |o| vm_walk(&org, o, true)))
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
        let options = options.map_or(JsValue::UNDEFINED, Into::into);
        self.iterator(prepare(options, |o| vm_walk(&org, o, false)))
    }
}
