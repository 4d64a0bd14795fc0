//! Code generation: typed tree → register bytecode.
//!
//! Registers are allocated like a stack. A function's parameters are its first registers;
//! each local variable gets the next free register when it is declared and keeps it until
//! its block ends; temporaries live above the locals and are released as soon as the
//! expression that needed them is done. Because of that discipline, the registers from a
//! call's `base` upward are always free temporaries, which is what lets the callee's frame
//! start at `base` (see `bytecode`). Top-level variables live in registers of the entry
//! function unless some function reads or writes them; those become global slots.
//!
//! Every instruction is chosen from static types: this module never emits anything that
//! would make the VM inspect a value to learn its type. It knows nothing of syntax.
//!
//! To keep the instruction count down: a condition that is a comparison becomes one fused
//! compare-and-branch, and `not`/`and`/`or` in conditions become jumps (`cond_jump`); a
//! small constant operand becomes an immediate (`AddI32Imm`, `JumpIfNotLtI32Imm`, ...); a
//! `while` loop tests its condition at the bottom (one jump per iteration); `for x in xs`
//! is `ForEachPrep`/`ForEachNext`; a chain of string `+` is one `ConcatN` (`ConcatFmt` when
//! some parts are `n as string` of an integer, whose digits it writes itself); a call whose
//! result goes to a fresh register gets that register as its base (no move); casts that
//! keep the register bits (`i32` to `i64`, ...) emit nothing; and constants that loops use
//! as operands live in registers loaded once at the entry (`consts`).

mod cond;
mod consts;
mod expr;
mod field_reuse;
mod jumps;
mod loops;
mod objects;
mod owned;
mod places;

use crate::bytecode::{
    EnumLayout, Function, GlobalInfo, Instr, PrintFormat, Program, Reg, StructLayout, ValType,
};
use crate::diag::{Code, Diagnostic, Span};
use crate::hash::{FastHasher, FastMap as HashMap};
use crate::opt::{OptStats, Optimizer};
use crate::types::typed::*;
use crate::types::Type;
use jumps::Jumps;
use std::hash::Hasher;

/// The most registers one frame may use; leaves headroom below `u16::MAX`.
const MAX_REGISTERS: usize = 60_000;

/// The end of a chain of string constants with one hash (`Gen::string_chain`).
const NO_STRING: u32 = u32::MAX;

/// A scalar type not yet in the type table (`Gen::scalar_types`).
const NO_TYPE: u32 = u32::MAX;

/// How many scalar types [`scalar_slot`] numbers.
const SCALAR_SLOTS: usize = 9;

/// A slot per runtime type without payload (`None` for arrays, structs and enums).
fn scalar_slot(ty: &Type) -> Option<usize> {
    Some(match ty {
        Type::I32 | Type::Error | Type::Void | Type::Hole(_) => 0,
        Type::I64 => 1,
        Type::U32 => 2,
        Type::U64 => 3,
        Type::F64 => 4,
        Type::Bool => 5,
        Type::Str => 6,
        Type::Func(_) => 7,
        Type::ErrorValue => 8,
        Type::Array(_) | Type::Struct(..) | Type::Enum(..) => return None,
    })
}

/// Compiles a checked program. Fails only on implementation limits (E9001).
pub fn generate(program: &TProgram) -> Result<Program, Diagnostic> {
    generate_functions(
        program.entry,
        &program.top_vars,
        &program.structs,
        &program.enums,
        program.functions.iter().map(|f| (f, true)),
        false,
    )
}

/// [`generate`] after [`crate::opt::optimize`], fused: each function is optimised just
/// before it is compiled, so its tree is walked by both while it is still in the cache
/// (the separate whole-program passes cost twice as much per line at 100 000 lines as at
/// 10 000). Functions are independent for both: the optimiser changes only the body and
/// locals of the function it is given, and code generation reads no other function.
pub fn generate_optimized(program: &mut TProgram) -> (Result<Program, Diagnostic>, OptStats) {
    let mut optimizer = Optimizer::default();
    let TProgram {
        functions,
        structs,
        enums,
        entry,
        top_vars,
    } = program;
    let result = generate_functions(
        *entry,
        top_vars,
        structs,
        enums,
        functions.iter_mut().map(|f| {
            let holds_loop = optimizer.function(f);
            (&*f, holds_loop)
        }),
        true,
    );
    (result, optimizer.stats)
}

/// Compiles `functions`, each paired with whether its body may hold a loop (`false` only
/// when the optimiser's walk met none); `optimize` also reuses field values
/// (`field_reuse`).
fn generate_functions<'p>(
    entry: FuncId,
    top_vars: &[TopVar],
    structs: &[StructDef],
    enums: &[EnumDef],
    functions: impl Iterator<Item = (&'p TFunction, bool)>,
    optimize: bool,
) -> Result<Program, Diagnostic> {
    let mut gen = Gen {
        optimize,
        top_count: top_vars.len(),
        _functions: std::marker::PhantomData,
        out: Program {
            entry: entry as u32,
            functions: Vec::with_capacity(functions.size_hint().0),
            ..Program::default()
        },
        consts: HashMap::default(),
        strings: HashMap::default(),
        string_chain: vec![],
        types: HashMap::default(),
        scalar_types: [NO_TYPE; SCALAR_SLOTS],
        globals: vec![None; top_vars.len()],
    };
    for (id, var) in top_vars.iter().enumerate() {
        if var.captured {
            gen.globals[id] = Some(gen.out.globals.len() as u32);
            gen.out.globals.push(GlobalInfo {
                name: var.name.clone(),
                is_ref: is_ref(&var.ty),
            });
        }
    }
    gen.out.structs = structs
        .iter()
        .map(|s| StructLayout {
            name: s.name.clone(),
            fields: s
                .fields
                .iter()
                .map(|(n, t)| (n.clone(), val_type(t)))
                .collect(),
        })
        .collect();
    gen.out.enums = enums
        .iter()
        .map(|e| EnumLayout {
            name: e.name.clone(),
            variants: e
                .variants
                .iter()
                .map(|(n, ts)| (n.clone(), ts.iter().map(val_type).collect()))
                .collect(),
        })
        .collect();
    let mut fg = FnGen::new(&mut gen);
    for (func, may_hold_loop) in functions {
        fg.function(func, may_hold_loop)?;
    }
    Ok(gen.out)
}

/// The runtime view of a static type.
pub(crate) fn val_type(ty: &Type) -> ValType {
    match ty {
        Type::I32 | Type::Error | Type::Void | Type::Hole(_) => ValType::I32,
        Type::I64 => ValType::I64,
        Type::U32 => ValType::U32,
        Type::U64 => ValType::U64,
        Type::F64 => ValType::F64,
        Type::Bool => ValType::Bool,
        Type::Str => ValType::Str,
        Type::Array(elem) => ValType::Array(Box::new(val_type(elem))),
        Type::Struct(id, _) => ValType::Struct(*id),
        Type::Enum(id, _) => ValType::Enum(*id),
        Type::Func(_) => ValType::Func,
        Type::ErrorValue => ValType::Error,
    }
}

/// Whether a value of static type `ty` is a heap reference (`val_type(ty).is_ref()`,
/// without building the `ValType`).
pub(crate) fn is_ref(ty: &Type) -> bool {
    !matches!(
        ty,
        Type::I32
            | Type::I64
            | Type::U32
            | Type::U64
            | Type::F64
            | Type::Bool
            | Type::Error
            | Type::Void
            | Type::Hole(_)
    )
}

/// Program-wide state: constant pools and global slots.
struct Gen<'p> {
    /// Number of top-level variables.
    top_count: usize,
    /// Not `-O0`: finished functions go through `field_reuse`.
    optimize: bool,
    _functions: std::marker::PhantomData<&'p TFunction>,
    out: Program,
    consts: HashMap<u64, u32>,
    /// The string constants by (the low half of) the hash of their bytes: the first of
    /// `out.strings` with that hash. The bytes are kept once, in `out.strings`.
    strings: HashMap<u32, u32>,
    /// Per string constant: the next one with the same hash ([`NO_STRING`] ends the chain).
    string_chain: Vec<u32>,
    types: HashMap<ValType, u32>,
    /// The `out.types` index of each scalar type already there, by [`scalar_slot`]
    /// ([`NO_TYPE`]: not yet): most type operands are scalars, and this spares them
    /// building, hashing and dropping a `ValType`.
    scalar_types: [u32; SCALAR_SLOTS],
    /// Global slot of each top-level variable that functions use.
    globals: Vec<Option<u32>>,
}

/// A loop being compiled: where `break`s and `continue`s must be patched to.
struct LoopCx {
    id: LoopId,
    /// `try` blocks open when the loop started; a jump out pops the ones opened since.
    try_depth: usize,
    breaks: Jumps,
    continues: Jumps,
}

/// Per-function state. One is made per program and [`FnGen::function`] starts it afresh
/// for each function, so its buffers grow once, not once per function.
struct FnGen<'g, 'p> {
    gen: &'g mut Gen<'p>,
    is_entry: bool,
    code: Vec<Instr>,
    spans: Vec<Span>,
    local_regs: Vec<Option<Reg>>,
    /// The function's locals (`captured`: changeable and captured by a closure, so it
    /// lives in a cell).
    locals: &'p [LocalVar],
    /// Per capture slot: holds the value itself rather than a cell.
    capture_by_value: &'p [bool],
    top_regs: Vec<Option<Reg>>,
    /// `try` blocks currently open.
    try_depth: usize,
    next_reg: usize,
    max_reg: usize,
    /// Per register: it may hold a heap reference (the collector scans it). Only the
    /// registers of `ref_list` are set: the next function clears just those.
    ref_regs: Vec<bool>,
    /// The registers set in `ref_regs`, in the order they were marked.
    ref_list: Vec<Reg>,
    loops: Vec<LoopCx>,
    span: Span,
    /// Set when the register limit is exceeded; reported at the end.
    overflow: Option<Span>,
    /// Registers loaded with a constant at the entry, and the constant's bits (`consts`):
    /// a dozen at most, so a scan beats hashing.
    pinned: Vec<(u64, Reg)>,
    /// The constants to pin (`consts::loop_constants`).
    constants: Vec<u64>,
    /// `GetField`s and `SetField`s emitted in this function: below two, no read can
    /// reuse a value (`field_reuse`).
    field_accesses: usize,
    field_scratch: field_reuse::Scratch,
    /// The function being compiled.
    func: Option<&'p TFunction>,
    /// Per local: it owns its string (`owned`), found at the first `v = v + ...` only.
    owned: Vec<bool>,
    owned_known: bool,
}

impl<'g, 'p> FnGen<'g, 'p> {
    fn new(gen: &'g mut Gen<'p>) -> FnGen<'g, 'p> {
        FnGen {
            gen,
            is_entry: false,
            code: vec![],
            spans: vec![],
            local_regs: vec![],
            locals: &[],
            capture_by_value: &[],
            top_regs: vec![],
            try_depth: 0,
            next_reg: 0,
            max_reg: 0,
            ref_regs: vec![],
            ref_list: vec![],
            loops: vec![],
            span: Span::default(),
            overflow: None,
            pinned: vec![],
            constants: vec![],
            field_accesses: 0,
            field_scratch: field_reuse::Scratch::default(),
            func: None,
            owned: vec![],
            owned_known: false,
        }
    }

    /// Compiles `func` into the next function of the program. Unless `may_hold_loop`, its
    /// body is known to hold no loop, so no constant is looked for to pin.
    fn function(&mut self, func: &'p TFunction, may_hold_loop: bool) -> Result<(), Diagnostic> {
        let is_entry = func.is_toplevel;
        self.is_entry = is_entry;
        self.code.clear();
        self.spans.clear();
        self.local_regs.clear();
        self.local_regs.resize(func.locals.len(), None);
        self.locals = &func.locals;
        self.capture_by_value = &func.capture_by_value[..];
        self.func = Some(func);
        self.owned_known = false;
        self.top_regs.clear();
        if is_entry {
            self.top_regs.resize(self.gen.top_count, None);
        }
        self.try_depth = 0;
        self.next_reg = 0;
        self.max_reg = 0;
        for &reg in &self.ref_list {
            self.ref_regs[usize::from(reg)] = false;
        }
        self.ref_list.clear();
        self.field_accesses = 0;
        self.loops.clear();
        self.span = func.span;
        self.overflow = None;
        self.pinned.clear();
        for id in 0..func.params {
            let reg = self.alloc();
            self.local_regs[id] = Some(reg);
            if is_ref(&func.locals[id].ty) || func.locals[id].captured {
                self.mark_ref(reg);
            }
            if func.locals[id].captured {
                self.emit(Instr::NewCell { dst: reg, src: reg });
            }
        }
        let mut constants = std::mem::take(&mut self.constants);
        constants.clear();
        if may_hold_loop {
            consts::loop_constants(&func.body, &mut constants);
        }
        for &bits in &constants {
            let reg = self.alloc();
            self.load_bits(reg, bits);
            self.pinned.push((bits, reg));
        }
        self.constants = constants;
        self.stmts(&func.body);
        self.emit(Instr::ReturnVoid {});
        if let Some(span) = self.overflow {
            return Err(Diagnostic::new(
                Code::Internal,
                span,
                format!(
                    "function '{}' needs more than {MAX_REGISTERS} registers (values live at \
                     once), an implementation limit: split it into smaller functions",
                    func.name
                ),
            ));
        }
        // The registers that may hold references, in increasing order.
        self.ref_list.sort_unstable();
        let ref_regs: Box<[Reg]> = self.ref_list.as_slice().into();
        if self.gen.optimize && self.field_accesses >= 2 {
            field_reuse::reuse_fields(&mut self.code, &mut self.spans, &mut self.field_scratch);
        }
        self.gen.out.functions.push(Function {
            name: String::from(&*func.name),
            file: func.file,
            arity: func.params as u16,
            num_regs: self.max_reg.max(1) as u16,
            code: self.code.as_slice().into(),
            spans: self.spans.as_slice().into(),
            ref_regs,
        });
        Ok(())
    }
}

impl Gen<'_> {
    fn const_index(&mut self, bits: u64) -> u32 {
        let consts = &mut self.out.consts;
        *self.consts.entry(bits).or_insert_with(|| {
            consts.push(bits);
            (consts.len() - 1) as u32
        })
    }

    fn string_index(&mut self, bytes: &[u8]) -> u32 {
        let mut hasher = FastHasher::default();
        hasher.write(bytes);
        let hash = hasher.finish() as u32;
        let i = self.out.strings.len() as u32;
        let head = self.strings.entry(hash).or_insert(NO_STRING);
        let mut at = *head;
        while at != NO_STRING {
            if self.out.strings[at as usize] == bytes {
                return at;
            }
            at = self.string_chain[at as usize];
        }
        self.string_chain.push(*head);
        *head = i;
        self.out.strings.push(bytes.to_vec());
        i
    }

    /// A new entry of the print-format table (argument types of a `Print` or of a
    /// `ConcatFmt`); its index.
    fn print_format(&mut self, arg_types: Vec<u32>, newline: bool) -> u32 {
        let format = self.out.print_formats.len() as u32;
        self.out.print_formats.push(PrintFormat {
            arg_types,
            newline,
            append: false,
        });
        format
    }

    fn type_index(&mut self, ty: &Type) -> u32 {
        let slot = scalar_slot(ty);
        if let Some(slot) = slot {
            let index = self.scalar_types[slot];
            if index != NO_TYPE {
                return index;
            }
        }
        let index = self.type_index_slow(ty);
        if let Some(slot) = slot {
            self.scalar_types[slot] = index;
        }
        index
    }

    fn type_index_slow(&mut self, ty: &Type) -> u32 {
        let vt = val_type(ty);
        let types = &mut self.out.types;
        *self.types.entry(vt.clone()).or_insert_with(|| {
            types.push(vt);
            (types.len() - 1) as u32
        })
    }
}

impl FnGen<'_, '_> {
    /// Records that register `reg` may hold a heap reference.
    fn mark_ref(&mut self, reg: Reg) {
        let index = usize::from(reg);
        if index >= self.ref_regs.len() {
            self.ref_regs.resize(index + 1, false);
        }
        if !self.ref_regs[index] {
            self.ref_regs[index] = true;
            self.ref_list.push(reg);
        }
    }

    #[inline]
    fn emit(&mut self, instr: Instr) -> usize {
        self.code.push(instr);
        self.spans.push(self.span);
        self.code.len() - 1
    }

    fn alloc(&mut self) -> Reg {
        let reg = self.next_reg;
        self.next_reg += 1;
        if self.next_reg > MAX_REGISTERS {
            self.overflow.get_or_insert(self.span);
            self.next_reg = MAX_REGISTERS;
            return (MAX_REGISTERS - 1) as Reg;
        }
        self.max_reg = self.max_reg.max(self.next_reg);
        reg as Reg
    }

    fn free_to(&mut self, mark: usize) {
        self.next_reg = mark;
    }

    fn stmts(&mut self, stmts: &[TStmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    /// Compiles a block, releasing the registers of its locals afterwards.
    fn scoped(&mut self, stmts: &[TStmt]) {
        let mark = self.next_reg;
        self.stmts(stmts);
        self.free_to(mark);
    }

    fn stmt(&mut self, stmt: &TStmt) {
        self.span = stmt.span;
        match &stmt.kind {
            TStmtKind::Store { place, value } => self.store(*place, value),
            TStmtKind::Expr(e) => {
                let mark = self.next_reg;
                match &e.kind {
                    // The value (the array) is unused: no copy of it is needed.
                    TExprKind::Push { array, value } => {
                        let arr = self.expr_any(array);
                        let v = self.expr_any(value);
                        self.span = e.span;
                        self.emit(Instr::ArrayPush { arr, src: v });
                    }
                    _ => {
                        self.expr_any(e);
                    }
                }
                self.free_to(mark);
            }
            TStmtKind::Print { args, newline } => {
                let mark = self.next_reg;
                let base = self.next_reg as Reg;
                for arg in args {
                    let r = self.alloc();
                    self.expr_to_top(arg, r);
                }
                let arg_types = args.iter().map(|a| self.gen.type_index(&a.ty)).collect();
                let format = self.gen.print_format(arg_types, *newline);
                self.span = stmt.span;
                self.emit(Instr::Print {
                    base,
                    count: args.len() as u16,
                    format,
                });
                self.free_to(mark);
            }
            TStmtKind::If {
                branches,
                else_body,
            } => {
                let mut ends = Jumps::NONE;
                for (i, (cond, body)) in branches.iter().enumerate() {
                    let skip = self.jump_if_false(cond);
                    self.scoped(body);
                    let last = i + 1 == branches.len() && else_body.is_none();
                    if !last {
                        self.span = stmt.span;
                        let at = self.emit(Instr::Jump { offset: 0 });
                        self.chain(&mut ends, at);
                    }
                    let here = self.code.len();
                    self.patch_all(skip, here);
                }
                if let Some(body) = else_body {
                    self.scoped(body);
                }
                let end = self.code.len();
                self.patch_all(ends, end);
            }
            TStmtKind::While { id, cond, body } => {
                // The condition is tested at the entry and again at the bottom, where the
                // test jumps back to the body: one jump per iteration, not two.
                let exits = self.jump_if_false(cond);
                let body_start = self.code.len();
                self.loops.push(LoopCx {
                    id: *id,
                    try_depth: self.try_depth,
                    breaks: Jumps::NONE,
                    continues: Jumps::NONE,
                });
                self.scoped(body);
                let cont = self.code.len();
                let mark = self.next_reg;
                let backs = self.cond_jump(cond, true);
                self.free_to(mark);
                self.patch_all(backs, body_start);
                let end = self.code.len();
                self.patch_all(exits, end);
                self.close_loop(cont, end);
            }
            TStmtKind::ForRange {
                id,
                var,
                range,
                body,
            } => self.for_range(
                stmt.span,
                *id,
                *var,
                &range.ty,
                &range.start,
                &range.end,
                range.step.as_deref(),
                range.inclusive,
                body,
            ),
            TStmtKind::ForEach {
                id,
                var,
                array,
                body,
            } => self.for_each(stmt.span, *id, *var, array, body),
            TStmtKind::SetIndex {
                array,
                index,
                value,
                op,
            } => {
                let mark = self.next_reg;
                let arr = self.expr_any(array);
                let idx = self.expr_any(index);
                // An index error is reported at the `[`, as for a read (docs/errors.md).
                let at_bracket = Span {
                    start: array.span.end,
                    end: index.span.end,
                };
                let src = match op {
                    None => self.expr_any(value),
                    Some((op, at)) => {
                        let current = self.alloc();
                        self.span = at_bracket;
                        self.emit(Instr::ArrayGet {
                            dst: current,
                            arr,
                            index: idx,
                        });
                        let rhs = self.expr_any(value);
                        self.span = *at;
                        self.emit(expr::binary_instr(*op, &value.ty, current, current, rhs));
                        current
                    }
                };
                self.span = at_bracket;
                self.emit(Instr::ArraySet {
                    arr,
                    index: idx,
                    src,
                });
                self.free_to(mark);
            }
            TStmtKind::Destructure { value, targets } => {
                // Declared targets get their registers first, below the temporaries.
                let fresh: Vec<bool> = targets.iter().map(|p| self.reserve(*p)).collect();
                let mark = self.next_reg;
                let arr = self.alloc();
                self.expr_to(value, arr);
                let elem_ref = value.ty.element().is_some_and(is_ref);
                for (k, place) in targets.iter().enumerate() {
                    let inner = self.next_reg;
                    let idx = self.alloc();
                    let item = self.alloc();
                    if elem_ref {
                        self.mark_ref(item);
                    }
                    self.span = stmt.span;
                    self.emit(Instr::LoadInt {
                        dst: idx,
                        value: k as i32,
                    });
                    self.emit(Instr::ArrayGet {
                        dst: item,
                        arr,
                        index: idx,
                    });
                    self.store_reg(*place, item, fresh[k]);
                    self.free_to(inner);
                }
                self.free_to(mark);
            }
            TStmtKind::SetField { .. }
            | TStmtKind::Match { .. }
            | TStmtKind::Try { .. }
            | TStmtKind::Throw(_) => self.object_stmt(stmt),
            TStmtKind::Break(id) | TStmtKind::Continue(id) => {
                let open = self
                    .loops
                    .iter()
                    .rev()
                    .find(|l| l.id == *id)
                    .map_or(0, |l| self.try_depth - l.try_depth);
                for _ in 0..open {
                    self.emit(Instr::PopTry {});
                }
                let at = self.emit(Instr::Jump { offset: 0 });
                let is_break = matches!(stmt.kind, TStmtKind::Break(_));
                if let Some(k) = self.loops.iter().rposition(|l| l.id == *id) {
                    let mut list = if is_break {
                        self.loops[k].breaks
                    } else {
                        self.loops[k].continues
                    };
                    self.chain(&mut list, at);
                    let l = &mut self.loops[k];
                    if is_break {
                        l.breaks = list;
                    } else {
                        l.continues = list;
                    }
                }
            }
            TStmtKind::Return(value) => {
                let mark = self.next_reg;
                match value {
                    Some(v) if !self.is_entry => {
                        let r = self.expr_any(v);
                        self.span = stmt.span;
                        self.emit(Instr::Return { src: r });
                    }
                    Some(v) => {
                        self.expr_any(v);
                        self.emit(Instr::ReturnVoid {});
                    }
                    None => {
                        self.emit(Instr::ReturnVoid {});
                    }
                }
                self.free_to(mark);
            }
            TStmtKind::Block(body) => self.scoped(body),
        }
    }

    /// Evaluates a condition and emits the jumps taken when it is false; returns them.
    fn jump_if_false(&mut self, cond: &TExpr) -> Jumps {
        let mark = self.next_reg;
        let jumps = self.cond_jump(cond, false);
        self.free_to(mark);
        jumps
    }
}

#[cfg(test)]
mod tests {
    use crate::bytecode::Instr;
    use crate::diag::Code;

    /// The capture instructions of the function named `name`.
    fn capture_reads(src: &str, name: &str) -> (usize, usize) {
        let compiled = crate::driver::compile("c.orus", src.as_bytes()).expect("compiles");
        let f = compiled
            .program
            .functions
            .iter()
            .find(|f| f.name == name)
            .expect("the function exists");
        let count = |want: fn(&Instr) -> bool| f.code.iter().filter(|i| want(i)).count();
        (
            count(|i| matches!(i, Instr::GetCapture { .. })),
            count(|i| matches!(i, Instr::GetCaptured { .. })),
        )
    }

    #[test]
    fn immutable_captures_are_copied_and_mut_ones_shared() {
        let src = "fn outer() -> i32:\n    a = 5\n    mut b = 1\n    \
                   f = fn(x: i32) -> i32:\n        b += x\n        return a + b\n    \
                   return f(2)\nprint(outer())\n";
        // `a` is read straight from the closure; `b` (read twice) through its cell.
        assert_eq!(capture_reads(src, "<anonymous>"), (1, 2));
    }

    #[test]
    fn a_match_reads_the_variant_tag_once() {
        let src = "enum S:\n    A\n    B\n    C\nfn f(s: S) -> i32:\n    \
                   return match s:\n        S.A -> 1\n        S.B -> 2\n        S.C -> 3\n\
                   fn g(s: S):\n    match s:\n        S.A -> print(1)\n        \
                   S.B -> print(2)\n        _ -> print(0)\nprint(f(S.B))\ng(S.C)\n";
        let compiled = crate::driver::compile("m.orus", src.as_bytes()).expect("compiles");
        for name in ["f", "g"] {
            let f = compiled.program.functions.iter().find(|f| f.name == name);
            let code = &f.expect("the function exists").code;
            let tags = code.iter().filter(|i| matches!(i, Instr::EnumTag { .. }));
            assert_eq!(tags.count(), 1, "{name}");
        }
    }

    #[test]
    fn a_nested_function_that_calls_itself_shares_its_cell() {
        let src = "fn outer() -> i32:\n    fn fact(n: i32) -> i32:\n        \
                   if n <= 1:\n            return 1\n        return n * fact(n - 1)\n    \
                   return fact(5)\nprint(outer())\n";
        assert_eq!(capture_reads(src, "fact"), (0, 1));
    }

    #[test]
    fn too_many_live_values_is_a_reported_limit() {
        let mut src = String::new();
        for i in 0..=super::MAX_REGISTERS {
            src.push_str(&format!("v{i} = {i}\n"));
        }
        let diags = crate::driver::compile("wide.orus", src.as_bytes())
            .err()
            .expect("more live values than registers");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::Internal);
        assert!(
            diags[0].message.contains("implementation limit"),
            "{}",
            diags[0].message
        );
    }
}
