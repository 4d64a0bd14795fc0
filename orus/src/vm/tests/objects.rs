//! Structs, enums, printing them and structural equality.

use super::*;
use crate::bytecode::{EnumLayout, StructLayout};

fn point_layout() -> StructLayout {
    StructLayout {
        name: "Point".into(),
        fields: vec![
            ("x".into(), ValType::I32),
            ("y".into(), ValType::F64),
            ("name".into(), ValType::Str),
        ],
    }
}

/// `enum Shape: Dot, Circle(f64), Rect(i32, i32), Named(string)`.
fn shape_layout() -> EnumLayout {
    EnumLayout {
        name: "Shape".into(),
        variants: vec![
            ("Dot".into(), vec![]),
            ("Circle".into(), vec![ValType::F64]),
            ("Rect".into(), vec![ValType::I32, ValType::I32]),
            ("Named".into(), vec![ValType::Str]),
        ],
    }
}

/// `enum List: Nil, Cons(i32, List)` as layout `id`.
fn list_layout(id: u32) -> EnumLayout {
    EnumLayout {
        name: "List".into(),
        variants: vec![
            ("Nil".into(), vec![]),
            ("Cons".into(), vec![ValType::I32, ValType::Enum(id)]),
        ],
    }
}

#[test]
fn structs_are_created_read_written_and_printed() {
    let mut p = program(vec![func(
        "main",
        0,
        6,
        &[2, 3],
        vec![
            LoadInt { dst: 0, value: 3 },
            LoadConst { dst: 1, index: 0 },
            LoadStr { dst: 2, index: 0 },
            NewStruct {
                dst: 3,
                base: 0,
                count: 3,
                layout: 0,
            },
            GetField {
                dst: 4,
                obj: 3,
                field: 0,
            },
            AddI32Imm {
                dst: 4,
                a: 4,
                imm: 10,
            },
            SetField {
                obj: 3,
                field: 0,
                src: 4,
            },
            GetField {
                dst: 5,
                obj: 3,
                field: 1,
            },
            Print {
                base: 3,
                count: 3,
                format: 0,
            },
            // As a string (ToStr) too.
            ToStr {
                dst: 2,
                src: 3,
                ty: 7,
            },
            Print {
                base: 2,
                count: 1,
                format: 1,
            },
            ReturnVoid {},
        ],
    )]);
    p.structs = vec![point_layout()];
    p.strings = vec![b"pt".to_vec()];
    p.consts = vec![f(2.5)];
    let point = add_type(&mut p, ValType::Struct(0));
    assert_eq!(point, 7);
    print_format(&mut p, &[point, I32, F64]);
    print_format(&mut p, &[STR]);
    assert_eq!(output(&p), "13, 2.5, pt 13 2.5\n13, 2.5, pt\n");
}

#[test]
fn nested_structs_and_enums_print_recursively() {
    // struct Line { from: Point, shape: Shape, tags: [string] }
    let mut p = program(vec![func(
        "main",
        0,
        8,
        &[2, 3, 4, 5, 6],
        vec![
            LoadInt { dst: 0, value: -1 },
            LoadConst { dst: 1, index: 0 },
            LoadStr { dst: 2, index: 0 },
            NewStruct {
                dst: 3,
                base: 0,
                count: 3,
                layout: 0,
            },
            LoadInt { dst: 0, value: 2 },
            LoadInt { dst: 1, value: 5 },
            NewEnum {
                dst: 4,
                base: 0,
                count: 2,
                variant: 2,
                layout: 0,
            },
            NewArray {
                dst: 5,
                base: 2,
                count: 1,
                elem_ref: true,
            },
            NewStruct {
                dst: 6,
                base: 3,
                count: 3,
                layout: 1,
            },
            Print {
                base: 6,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.structs = vec![
        point_layout(),
        StructLayout {
            name: "Line".into(),
            fields: vec![
                ("from".into(), ValType::Struct(0)),
                ("shape".into(), ValType::Enum(0)),
                ("tags".into(), ValType::Array(Box::new(ValType::Str))),
            ],
        },
    ];
    p.enums = vec![shape_layout()];
    p.strings = vec![b"a b".to_vec()];
    p.consts = vec![f(0.1 + 0.2)];
    let line = add_type(&mut p, ValType::Struct(1));
    print_format(&mut p, &[line]);
    assert_eq!(output(&p), "-1, 0.3, a b, Shape.Rect(2, 5), a b\n");
}

#[test]
fn enums_construct_tag_payload_and_print() {
    let mut p = program(vec![func(
        "main",
        0,
        10,
        &[2, 3, 4, 5, 9],
        vec![
            LoadInt { dst: 0, value: 2 },
            LoadInt { dst: 1, value: 5 },
            NewEnum {
                dst: 2,
                base: 0,
                count: 2,
                variant: 2,
                layout: 0,
            },
            NewEnum {
                dst: 3,
                base: 0,
                count: 0,
                variant: 0,
                layout: 0,
            },
            LoadConst { dst: 0, index: 0 },
            NewEnum {
                dst: 4,
                base: 0,
                count: 1,
                variant: 1,
                layout: 0,
            },
            LoadStr { dst: 9, index: 0 },
            NewEnum {
                dst: 5,
                base: 9,
                count: 1,
                variant: 3,
                layout: 0,
            },
            EnumTag { dst: 6, obj: 2 },
            EnumPayload {
                dst: 7,
                obj: 2,
                index: 1,
            },
            EnumTag { dst: 8, obj: 3 },
            Print {
                base: 2,
                count: 7,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.enums = vec![shape_layout()];
    p.strings = vec![b"x y".to_vec()];
    p.consts = vec![f(0.5)];
    let shape = add_type(&mut p, ValType::Enum(0));
    print_format(&mut p, &[shape, shape, shape, shape, I32, I32, I32]);
    assert_eq!(
        output(&p),
        "Shape.Rect(2, 5) Shape.Dot Shape.Circle(0.5) Shape.Named(x y) 2 5 0\n"
    );
}

/// Builds `List.Cons(1, List.Cons(2, List.Nil))` into R[dst] using R0..R2 (R2 must be a
/// reference register), with the second element `second`.
fn build_list(dst: u16, second: i32) -> Vec<Instr> {
    vec![
        NewEnum {
            dst: 2,
            base: 0,
            count: 0,
            variant: 0,
            layout: 1,
        },
        // Cons(second, Nil): payload in R1, R2.
        LoadInt {
            dst: 1,
            value: second,
        },
        NewEnum {
            dst: 2,
            base: 1,
            count: 2,
            variant: 1,
            layout: 1,
        },
        LoadInt { dst: 1, value: 1 },
        NewEnum {
            dst,
            base: 1,
            count: 2,
            variant: 1,
            layout: 1,
        },
    ]
}

#[test]
fn enums_compare_structurally() {
    let mut code = Vec::new();
    code.extend(build_list(3, 2));
    code.extend(build_list(4, 2));
    code.extend(build_list(5, 3));
    code.extend([
        EqValue {
            dst: 6,
            a: 3,
            b: 4,
            ty: 7,
        },
        EqValue {
            dst: 7,
            a: 3,
            b: 5,
            ty: 7,
        },
        // Named("ab") built by concatenation against Named("ab") interned.
        LoadStr { dst: 8, index: 0 },
        LoadStr { dst: 9, index: 1 },
        Concat { dst: 8, a: 8, b: 9 },
        NewEnum {
            dst: 10,
            base: 8,
            count: 1,
            variant: 3,
            layout: 0,
        },
        LoadStr { dst: 8, index: 2 },
        NewEnum {
            dst: 11,
            base: 8,
            count: 1,
            variant: 3,
            layout: 0,
        },
        EqValue {
            dst: 12,
            a: 10,
            b: 11,
            ty: 8,
        },
        // Circle(nan) is not equal to itself (IEEE); Dot equals Dot.
        LoadConst { dst: 8, index: 0 },
        NewEnum {
            dst: 10,
            base: 8,
            count: 1,
            variant: 1,
            layout: 0,
        },
        EqValue {
            dst: 13,
            a: 10,
            b: 10,
            ty: 8,
        },
        NewEnum {
            dst: 10,
            base: 8,
            count: 0,
            variant: 0,
            layout: 0,
        },
        NewEnum {
            dst: 11,
            base: 8,
            count: 0,
            variant: 0,
            layout: 0,
        },
        EqValue {
            dst: 14,
            a: 10,
            b: 11,
            ty: 8,
        },
        // Different variants.
        LoadInt { dst: 8, value: 1 },
        LoadInt { dst: 9, value: 1 },
        NewEnum {
            dst: 11,
            base: 8,
            count: 2,
            variant: 2,
            layout: 0,
        },
        EqValue {
            dst: 15,
            a: 10,
            b: 11,
            ty: 8,
        },
        // For other types EqValue is the typed equality.
        EqValue {
            dst: 16,
            a: 8,
            b: 9,
            ty: I32,
        },
        Print {
            base: 6,
            count: 2,
            format: 0,
        },
        Print {
            base: 12,
            count: 5,
            format: 1,
        },
        Print {
            base: 3,
            count: 1,
            format: 2,
        },
        ReturnVoid {},
    ]);
    let mut p = program(vec![func("main", 0, 17, &[2, 3, 4, 5, 8, 9, 10, 11], code)]);
    p.enums = vec![shape_layout(), list_layout(1)];
    p.strings = vec![b"a".to_vec(), b"b".to_vec(), b"ab".to_vec()];
    p.consts = vec![f(f64::NAN)];
    let list = add_type(&mut p, ValType::Enum(1));
    let shape = add_type(&mut p, ValType::Enum(0));
    assert_eq!((list, shape), (7, 8));
    print_format(&mut p, &[BOOL, BOOL]);
    print_format(&mut p, &[BOOL, BOOL, BOOL, BOOL, BOOL]);
    print_format(&mut p, &[list]);
    assert_eq!(
        output(&p),
        "true false\ntrue false true false true\nList.Cons(1, List.Cons(2, List.Nil))\n"
    );
}

#[test]
fn object_instructions_are_verified() {
    let bad = |instr: Instr| {
        let mut p = program(vec![func("main", 0, 4, &[], vec![instr, ReturnVoid {}])]);
        p.structs = vec![point_layout()];
        p.enums = vec![shape_layout()];
        let err = error(&p, &VmConfig::default());
        assert_eq!(err.code, Code::Internal, "{instr:?}");
        err.message
    };
    let msg = bad(NewStruct {
        dst: 0,
        base: 0,
        count: 2,
        layout: 0,
    });
    assert!(msg.contains("2 values for 3 fields"), "{msg}");
    bad(NewStruct {
        dst: 0,
        base: 0,
        count: 3,
        layout: 1,
    });
    bad(NewStruct {
        dst: 0,
        base: 2,
        count: 3,
        layout: 0,
    });
    bad(GetField {
        dst: 0,
        obj: 1,
        field: 3,
    });
    bad(NewEnum {
        dst: 0,
        base: 0,
        count: 0,
        variant: 4,
        layout: 0,
    });
    bad(NewEnum {
        dst: 0,
        base: 0,
        count: 1,
        variant: 2,
        layout: 0,
    });
    bad(EnumPayload {
        dst: 0,
        obj: 0,
        index: 2,
    });
    bad(EqValue {
        dst: 0,
        a: 1,
        b: 2,
        ty: 99,
    });
    bad(MakeClosure {
        dst: 0,
        func: 1,
        base: 0,
        count: 0,
    });
    bad(PushTry { dst: 0, offset: 5 });
    bad(CallValue {
        callee: 0,
        base: 4,
        arity: 0,
    });
    bad(ThrowStr { src: 4 });
    // A type naming a layout that does not exist.
    let mut p = program(vec![func("main", 0, 1, &[], vec![ReturnVoid {}])]);
    add_type(&mut p, ValType::Array(Box::new(ValType::Struct(3))));
    assert_eq!(error(&p, &VmConfig::default()).code, Code::Internal);
}
