//! Statements and blocks. A block is written at `self.indent`; `depth` counts the blocks
//! open inside the current function and bounds nesting.

use super::{Gen, Ty, Var, INTS, MAX_BLOCK_DEPTH, MAX_STMTS};

impl Gen<'_, '_> {
    /// `n` statements (at least one is written if `n` is 0 and a block needs a body: see
    /// [`Gen::block`]) in the current scope.
    pub(super) fn block_body(&mut self, depth: usize, n: usize) {
        for _ in 0..n {
            if self.stmts >= MAX_STMTS {
                break;
            }
            self.stmts += 1;
            self.stmt(depth);
        }
    }

    /// An indented block in a new scope with `vars` declared in it; never empty.
    fn block(&mut self, depth: usize, vars: Vec<Var>) {
        self.scopes.push(vars);
        self.indent += 1;
        let before = self.out.len();
        let n = 1 + self.pick(4);
        self.block_body(depth + 1, n);
        if self.out.len() == before {
            self.print_stmt(depth + 1);
        }
        self.indent -= 1;
        self.scopes.pop();
    }

    fn stmt(&mut self, depth: usize) {
        let nested = depth < MAX_BLOCK_DEPTH;
        match self.pick(24) {
            0..=2 => self.print_stmt(depth),
            3..=5 => self.decl(depth),
            6 | 7 => self.assign(depth),
            8 | 9 if nested => self.if_stmt(depth),
            10 if nested => self.while_stmt(depth),
            11 | 12 if nested => self.for_range(depth),
            13 if nested => self.for_array(depth),
            14 if nested => self.match_stmt(depth),
            15 if nested => self.try_stmt(depth),
            16 => self.jump_stmt(depth),
            17 => self.call_stmt(depth),
            18 if nested => self.closure_decl(depth),
            19 => self.match_decl(depth),
            20 => self.destructure(depth),
            21 => self.throw_stmt(depth),
            22 if !self.ctx().is_top => self.early_return(depth),
            _ => self.print_stmt(depth),
        }
    }

    fn print_stmt(&mut self, depth: usize) {
        let d = 1 + depth.min(2);
        let n = self.pick(4);
        let mut args = vec![];
        for _ in 0..n {
            let t = self.ty(0);
            if !t.printable() {
                continue;
            }
            args.push(self.expr(&t, d));
        }
        let kw = if self.chance(10) {
            "print_no_newline"
        } else {
            "print"
        };
        self.line(&format!("{kw}({})", args.join(", ")));
    }

    fn decl(&mut self, depth: usize) {
        let ty = self.ty(0);
        let name = self.fresh("v");
        let mutable = self.chance(50);
        let m = if mutable { "mut " } else { "" };
        let annotate = self.chance(50);
        let d = 1 + depth.min(2);
        if annotate {
            let t = self.ty_name(&ty);
            let value = if matches!(ty, Ty::Arr(_)) && self.chance(20) {
                "[]".to_string()
            } else {
                self.expr_ctx(&ty, d)
            };
            self.line(&format!("{m}{name}: {t} = {value}"));
        } else if !mutable && self.chance(15) {
            let value = self.expr(&ty, d);
            self.line(&format!("const {name} = {value}"));
        } else {
            let value = self.expr(&ty, d);
            self.line(&format!("{m}{name} = {value}"));
        }
        self.declare(&name, ty, mutable);
    }

    fn assign(&mut self, depth: usize) {
        let d = 1 + depth.min(2);
        let vars = self.mutable_vars();
        match self.pick(3) {
            0 if !vars.is_empty() => {
                let v = vars[self.pick(vars.len())].clone();
                let compound = (v.ty.is_numeric() || v.ty == Ty::Str) && self.chance(50);
                if compound {
                    let op = if v.ty == Ty::Str {
                        "+="
                    } else {
                        ["+=", "-=", "*=", "/=", "%="][self.pick(5)]
                    };
                    let value = self.expr_ctx(&v.ty, d);
                    self.line(&format!("{} {op} {value}", v.name));
                } else {
                    let value = self.expr_ctx(&v.ty, d);
                    self.line(&format!("{} = {value}", v.name));
                }
            }
            1 if !self.structs.is_empty() => {
                let s = self.pick(self.structs.len());
                let f = self.pick(self.structs[s].fields.len());
                let (field, ty, _) = self.structs[s].fields[f].clone();
                let obj = self.leaf(&Ty::Struct(s));
                let value = self.expr_ctx(&ty, d);
                if ty.is_numeric() && self.chance(30) {
                    self.line(&format!("{obj}.{field} += {value}"));
                } else {
                    self.line(&format!("{obj}.{field} = {value}"));
                }
            }
            _ => {
                let elem = self.ty(1);
                let arr = Ty::Arr(Box::new(elem.clone()));
                let a = self.leaf(&arr);
                let value = self.expr_ctx(&elem, d);
                if self.chance(60) {
                    let i = self.index_expr(d);
                    self.line(&format!("{a}[{i}] = {value}"));
                } else {
                    self.line(&format!("push({a}, {value})"));
                }
            }
        }
    }

    fn if_stmt(&mut self, depth: usize) {
        let c = self.expr(&Ty::Bool, 1);
        self.line(&format!("if {c}:"));
        self.block(depth, vec![]);
        for _ in 0..self.pick(3) {
            let c = self.expr(&Ty::Bool, 1);
            self.line(&format!("elif {c}:"));
            self.block(depth, vec![]);
        }
        if self.chance(50) {
            self.line("else:");
            self.block(depth, vec![]);
        }
    }

    fn label(&mut self) -> Option<String> {
        if self.chance(25) {
            Some(self.fresh("lbl"))
        } else {
            None
        }
    }

    fn loop_header(&mut self, label: &Option<String>, header: &str) {
        match label {
            Some(l) => self.line(&format!("'{l}: {header}")),
            None => self.line(header),
        }
    }

    fn loop_body(
        &mut self,
        depth: usize,
        label: Option<String>,
        vars: Vec<Var>,
        prefix: Option<String>,
    ) {
        self.ctx_mut().loops.push(label);
        self.scopes.push(vars);
        self.indent += 1;
        if let Some(p) = prefix {
            self.line(&p);
        }
        let n = 1 + self.pick(4);
        let before = self.out.len();
        self.block_body(depth + 1, n);
        if self.out.len() == before {
            self.print_stmt(depth + 1);
        }
        self.indent -= 1;
        self.scopes.pop();
        self.ctx_mut().loops.pop();
    }

    /// A `while` loop counted by a fresh variable, so it always ends.
    fn while_stmt(&mut self, depth: usize) {
        let counter = self.fresh("w");
        let limit = self.int_in(0, 8);
        self.line(&format!("mut {counter} = 0"));
        let label = self.label();
        self.loop_header(&label, &format!("while {counter} < {limit}:"));
        // The counter is declared outside the loop but must not be assigned by the body.
        self.loop_body(depth, label, vec![], Some(format!("{counter} += 1")));
    }

    fn for_range(&mut self, depth: usize) {
        let ty = INTS[self.pick(INTS.len())].clone();
        let var = self.fresh("ix");
        let (start, end, step): (i64, i64, Option<i64>) = match self.pick(3) {
            0 => (self.int_in(0, 3), self.int_in(0, 8), None),
            1 => (
                self.int_in(0, 10),
                self.int_in(0, 10),
                Some(self.int_in(1, 3)),
            ),
            _ if ty.is_int() && matches!(ty, Ty::I32 | Ty::I64) => (
                self.int_in(0, 10),
                self.int_in(-3, 3),
                Some(-self.int_in(1, 3)),
            ),
            _ => (0, self.int_in(0, 5), None),
        };
        let lit = |v: i64, ty: &Ty, g: &Self| -> String {
            if *ty == Ty::I32 {
                if v < 0 {
                    format!("(-{})", -v)
                } else {
                    v.to_string()
                }
            } else {
                let t = g.ty_name(ty);
                if v < 0 {
                    format!("((-{}) as {t})", -v)
                } else {
                    format!("({v} as {t})")
                }
            }
        };
        let range = if self.chance(30) { "..=" } else { ".." };
        let mut header = format!(
            "for {var} in {}{range}{}",
            lit(start, &ty, self),
            lit(end, &ty, self)
        );
        if let Some(s) = step {
            header.push_str(&format!("..{}", lit(s, &ty, self)));
        }
        header.push(':');
        let label = self.label();
        self.loop_header(&label, &header);
        let vars = vec![Var {
            name: var,
            ty,
            mutable: false,
        }];
        self.loop_body(depth, label, vars, None);
    }

    fn for_array(&mut self, depth: usize) {
        let elem = self.ty(1);
        let arr = self.expr(&Ty::Arr(Box::new(elem.clone())), 2);
        let var = self.fresh("x");
        let label = self.label();
        self.loop_header(&label, &format!("for {var} in {arr}:"));
        let vars = vec![Var {
            name: var,
            ty: elem,
            mutable: false,
        }];
        self.loop_body(depth, label, vars, None);
    }

    /// `break`/`continue`, under a condition, to the innermost or a labelled loop.
    fn jump_stmt(&mut self, depth: usize) {
        let loops = self.ctx().loops.clone();
        if loops.is_empty() || depth >= MAX_BLOCK_DEPTH {
            return self.print_stmt(depth);
        }
        let kw = if self.chance(50) { "break" } else { "continue" };
        let labelled: Vec<String> = loops.iter().flatten().cloned().collect();
        let target = if !labelled.is_empty() && self.chance(50) {
            format!(" '{}", labelled[self.pick(labelled.len())])
        } else {
            String::new()
        };
        let c = self.expr(&Ty::Bool, 2);
        self.line(&format!("if {c}:"));
        self.line(&format!("    {kw}{target}"));
    }

    fn match_stmt(&mut self, depth: usize) {
        if !self.enums.is_empty() && self.chance(70) {
            let e = self.pick(self.enums.len());
            let subject = self.expr(&Ty::Enum(e), 2);
            self.line(&format!("match {subject}:"));
            self.indent += 1;
            let variants = self.enums[e].variants.clone();
            let ename = self.enums[e].name.clone();
            let mut order: Vec<usize> = (0..variants.len()).collect();
            if self.chance(50) {
                order.reverse();
            }
            // Leave some variants to a `_` arm.
            let keep = if self.chance(30) {
                self.pick(order.len())
            } else {
                order.len()
            };
            for &v in &order[..keep] {
                let (vname, payload) = &variants[v];
                let mut vars = vec![];
                let pattern = if payload.is_empty() {
                    format!("{ename}.{vname}")
                } else {
                    let binds: Vec<String> = payload
                        .iter()
                        .map(|t| {
                            if self.chance(20) {
                                "_".to_string()
                            } else {
                                let b = self.fresh("b");
                                vars.push(Var {
                                    name: b.clone(),
                                    ty: t.clone(),
                                    mutable: false,
                                });
                                b
                            }
                        })
                        .collect();
                    format!("{ename}.{vname}({})", binds.join(", "))
                };
                self.line(&format!("{pattern} ->"));
                self.block(depth, vars);
            }
            if keep < order.len() || self.chance(20) {
                self.line("_ ->");
                self.block(depth, vec![]);
            }
            self.indent -= 1;
        } else {
            let subject = self.expr(&Ty::I32, 2);
            self.line(&format!("match {subject}:"));
            self.indent += 1;
            let mut used = vec![];
            for _ in 0..1 + self.pick(3) {
                let v = self.int_in(-2, 5);
                if used.contains(&v) {
                    continue;
                }
                used.push(v);
                let pat = if v < 0 {
                    format!("-{}", -v)
                } else {
                    v.to_string()
                };
                self.line(&format!("{pat} ->"));
                self.block(depth, vec![]);
            }
            if self.chance(60) {
                self.line("_ ->");
                self.block(depth, vec![]);
            }
            self.indent -= 1;
        }
    }

    /// `name: T = match subject:` with one-line arms.
    fn match_decl(&mut self, depth: usize) {
        let ty = self.ty(0);
        let name = self.fresh("m");
        let t = self.ty_name(&ty);
        let d = 2 + depth.min(1);
        if !self.enums.is_empty() && self.chance(70) {
            let e = self.pick(self.enums.len());
            let subject = self.expr(&Ty::Enum(e), d);
            self.line(&format!("{name}: {t} = match {subject}:"));
            self.indent += 1;
            let variants = self.enums[e].variants.clone();
            let ename = self.enums[e].name.clone();
            let all = self.chance(70);
            for (vname, payload) in &variants {
                if !all && self.chance(50) {
                    continue;
                }
                let mut vars = vec![];
                let pattern = if payload.is_empty() {
                    format!("{ename}.{vname}")
                } else {
                    let binds: Vec<String> = payload
                        .iter()
                        .map(|t| {
                            let b = self.fresh("b");
                            vars.push(Var {
                                name: b.clone(),
                                ty: t.clone(),
                                mutable: false,
                            });
                            b
                        })
                        .collect();
                    format!("{ename}.{vname}({})", binds.join(", "))
                };
                self.scopes.push(vars);
                let value = self.expr_ctx(&ty, d);
                self.scopes.pop();
                self.line(&format!("{pattern} -> {value}"));
            }
            if !all {
                let value = self.expr_ctx(&ty, d);
                self.line(&format!("_ -> {value}"));
            }
            self.indent -= 1;
        } else {
            let subject = self.expr(&Ty::I32, d);
            self.line(&format!("{name}: {t} = match {subject}:"));
            self.indent += 1;
            for v in 0..self.pick(3) {
                let value = self.expr_ctx(&ty, d);
                self.line(&format!("{v} -> {value}"));
            }
            let value = self.expr_ctx(&ty, d);
            self.line(&format!("_ -> {value}"));
            self.indent -= 1;
        }
        self.declare(&name, ty, false);
    }

    fn try_stmt(&mut self, depth: usize) {
        self.line("try:");
        self.block(depth, vec![]);
        if self.chance(70) {
            let name = self.fresh("err");
            self.line(&format!("catch {name}:"));
            self.ctx_mut().caught.push(name.clone());
            self.scopes.push(vec![]);
            self.indent += 1;
            self.line(&format!("print(\"caught\", {name})"));
            let n = self.pick(3);
            self.block_body(depth + 1, n);
            self.indent -= 1;
            self.scopes.pop();
            self.ctx_mut().caught.pop();
        } else {
            self.line("catch:");
            self.block(depth, vec![]);
        }
    }

    fn throw_stmt(&mut self, depth: usize) {
        let caught = self.ctx().caught.clone();
        let c = self.expr(&Ty::Bool, 2);
        self.line(&format!("if {c}:"));
        if !caught.is_empty() && self.chance(50) {
            let e = caught[self.pick(caught.len())].clone();
            self.line(&format!("    throw {e}"));
        } else {
            let m = self.expr(&Ty::Str, 1 + depth.min(2));
            self.line(&format!("    throw {m}"));
        }
    }

    fn early_return(&mut self, depth: usize) {
        let c = self.expr(&Ty::Bool, 2);
        self.line(&format!("if {c}:"));
        match self.ctx().ret.clone() {
            Some(t) => {
                let v = self.expr_ctx(&t, 1 + depth.min(2));
                self.line(&format!("    return {v}"));
            }
            None => self.line("    return"),
        }
    }

    /// A call as a statement: a void function, any function, a method, or `pop`.
    fn call_stmt(&mut self, depth: usize) {
        let d = 1 + depth.min(2);
        let callable = self.ctx().callable;
        if callable > 0 && self.chance(60) {
            let f = self.pick(callable);
            let params = self.fns[f].params.clone();
            let args = self.args(&params, d);
            let name = self.fns[f].name.clone();
            self.line(&format!("{name}({args})"));
            return;
        }
        let ty = self.ty(0);
        match self.call_returning(&ty, d) {
            Some(call) => self.line(&call),
            None => {
                let arr = self.leaf(&Ty::Arr(Box::new(ty)));
                self.line(&format!("pop({arr})"));
            }
        }
    }

    /// `name = fn(params) -> R:` with a body that may capture and assign locals.
    fn closure_decl(&mut self, depth: usize) {
        let params: Vec<Ty> = (0..self.pick(3)).map(|_| self.ty(1)).collect();
        let ret = self.ty(1);
        let name = self.fresh("c");
        let text = self.closure(&params, &ret, depth + 1);
        self.line(&format!("{name} = {text}"));
        self.declare(&name, Ty::Func(params, Box::new(ret)), false);
    }

    /// `a, b = array`.
    fn destructure(&mut self, depth: usize) {
        let elem = self.ty(1);
        let arr_ty = Ty::Arr(Box::new(elem.clone()));
        // A literal array must have exactly two elements (E2010); other arrays are
        // checked at run time.
        let vars = self.vars_of(&arr_ty);
        let arr = if !vars.is_empty() && self.chance(70) {
            vars[self.pick(vars.len())].clone()
        } else {
            let d = 1 + depth.min(2);
            format!("[{}, {}]", self.expr(&elem, d), self.expr(&elem, d))
        };
        let (a, b) = (self.fresh("d"), self.fresh("d"));
        self.line(&format!("{a}, {b} = {arr}"));
        self.declare(&a, elem.clone(), false);
        self.declare(&b, elem, false);
    }
}
