//! Single instructions, run through `eval`.

use super::*;

/// Runs `op` (writing R0 from R1 and R2) on the slots `a` and `b`; returns R0.
fn eval(op: Instr, a: u64, b: u64) -> Result<u64, RuntimeError> {
    let mut p = program(vec![func(
        "main",
        0,
        3,
        &[],
        vec![
            LoadConst { dst: 1, index: 0 },
            LoadConst { dst: 2, index: 1 },
            op,
            ReturnVoid {},
        ],
    )]);
    p.consts = vec![a, b];
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out)?;
    vm.execute()?;
    Ok(vm.regs[0])
}

#[test]
fn typed_arithmetic_wraps_and_stays_canonical() {
    let (d, a, b) = (0, 1, 2);
    assert_eq!(
        eval(AddI32 { dst: d, a, b }, i(i32::MAX), i(1)),
        Ok(i(i32::MIN))
    );
    assert_eq!(
        eval(SubI32 { dst: d, a, b }, i(i32::MIN), i(1)),
        Ok(i(i32::MAX))
    );
    assert_eq!(eval(MulI32 { dst: d, a, b }, i(65536), i(65536)), Ok(0));
    assert_eq!(eval(AddI32Imm { dst: d, a, imm: -5 }, i(3), 0), Ok(i(-2)));
    assert_eq!(eval(DivI32 { dst: d, a, b }, i(-7), i(2)), Ok(i(-3)));
    assert_eq!(eval(RemI32 { dst: d, a, b }, i(-7), i(2)), Ok(i(-1)));
    assert_eq!(eval(NegI32 { dst: d, src: a }, i(5), 0), Ok(i(-5)));
    assert_eq!(
        eval(AddI64 { dst: d, a, b }, i64::MAX as u64, 1),
        Ok(i64::MIN as u64)
    );
    assert_eq!(eval(MulI64 { dst: d, a, b }, 1 << 32, 1 << 32), Ok(0));
    assert_eq!(
        eval(DivI64 { dst: d, a, b }, (-9i64) as u64, 2),
        Ok((-4i64) as u64)
    );
    assert_eq!(eval(SubU32 { dst: d, a, b }, 1, 2), Ok(0xFFFF_FFFF));
    assert_eq!(eval(AddU32 { dst: d, a, b }, 0xFFFF_FFFF, 2), Ok(1));
    assert_eq!(eval(MulU32 { dst: d, a, b }, 0x10000, 0x10000), Ok(0));
    assert_eq!(
        eval(DivU32 { dst: d, a, b }, 0xFFFF_FFFF, 2),
        Ok(0x7FFF_FFFF)
    );
    assert_eq!(eval(SubU64 { dst: d, a, b }, 0, 1), Ok(u64::MAX));
    assert_eq!(eval(RemU64 { dst: d, a, b }, u64::MAX, 10), Ok(5));
    assert_eq!(
        eval(AddF64 { dst: d, a, b }, f(0.1), f(0.2)),
        Ok(f(0.1 + 0.2))
    );
    assert_eq!(eval(RemF64 { dst: d, a, b }, f(5.5), f(2.0)), Ok(f(1.5)));
    assert_eq!(eval(NegF64 { dst: d, src: a }, f(0.0), 0), Ok(f(-0.0)));
    assert_eq!(eval(DivF64 { dst: d, a, b }, f(1.0), f(4.0)), Ok(f(0.25)));
}

#[test]
fn comparisons_and_bits() {
    let (d, a, b) = (0, 1, 2);
    assert_eq!(eval(LtI32 { dst: d, a, b }, i(-1), i(0)), Ok(1));
    assert_eq!(eval(LtU32 { dst: d, a, b }, 0xFFFF_FFFF, 0), Ok(0));
    assert_eq!(eval(LeI64 { dst: d, a, b }, u64::MAX, 0), Ok(1));
    assert_eq!(eval(LtU64 { dst: d, a, b }, u64::MAX, 0), Ok(0));
    assert_eq!(eval(LeU64 { dst: d, a, b }, 3, 3), Ok(1));
    assert_eq!(eval(EqInt { dst: d, a, b }, i(-1), i(-1)), Ok(1));
    assert_eq!(eval(NeInt { dst: d, a, b }, 1, 2), Ok(1));
    assert_eq!(
        eval(EqF64 { dst: d, a, b }, f(f64::NAN), f(f64::NAN)),
        Ok(0)
    );
    assert_eq!(
        eval(NeF64 { dst: d, a, b }, f(f64::NAN), f(f64::NAN)),
        Ok(1)
    );
    assert_eq!(eval(EqF64 { dst: d, a, b }, f(0.0), f(-0.0)), Ok(1));
    assert_eq!(eval(LeF64 { dst: d, a, b }, f(1.0), f(f64::NAN)), Ok(0));
    assert_eq!(eval(Not { dst: d, src: a }, 1, 0), Ok(0));
    assert_eq!(eval(Not { dst: d, src: a }, 0, 0), Ok(1));
    assert_eq!(eval(BitAnd { dst: d, a, b }, i(-1), i(6)), Ok(6));
    assert_eq!(eval(BitOr { dst: d, a, b }, i(-8), i(3)), Ok(i(-5)));
    assert_eq!(eval(BitXor { dst: d, a, b }, i(-1), i(1)), Ok(i(-2)));
    assert_eq!(eval(BitNot { dst: d, src: a }, i(0), 0), Ok(i(-1)));
    assert_eq!(eval(BitNotU32 { dst: d, src: a }, 0, 0), Ok(0xFFFF_FFFF));
    assert_eq!(eval(ShlI32 { dst: d, a, b }, i(1), i(31)), Ok(i(i32::MIN)));
    assert_eq!(eval(ShrI32 { dst: d, a, b }, i(-16), i(2)), Ok(i(-4)));
    assert_eq!(eval(ShrU32 { dst: d, a, b }, 0x8000_0000, 31), Ok(1));
    assert_eq!(eval(ShlU64 { dst: d, a, b }, 1, 63), Ok(1 << 63));
    assert_eq!(
        eval(ShrI64 { dst: d, a, b }, i64::MIN as u64, 63),
        Ok(u64::MAX)
    );
    let conv = Convert {
        dst: d,
        src: a,
        from: Prim::I32,
        to: Prim::U32,
    };
    assert_eq!(eval(conv, i(-1), 0), Ok(0xFFFF_FFFF));
}

#[test]
fn faults_carry_their_codes() {
    let (d, a, b) = (0, 1, 2);
    let code = |op, x, y| eval(op, x, y).unwrap_err().code;
    assert_eq!(code(DivI32 { dst: d, a, b }, i(1), 0), Code::DivisionByZero);
    assert_eq!(code(RemU64 { dst: d, a, b }, 1, 0), Code::DivisionByZero);
    assert_eq!(
        code(DivF64 { dst: d, a, b }, f(1.0), f(0.0)),
        Code::DivisionByZero
    );
    assert_eq!(
        code(RemF64 { dst: d, a, b }, f(1.0), f(-0.0)),
        Code::DivisionByZero
    );
    assert_eq!(
        code(DivI32 { dst: d, a, b }, i(i32::MIN), i(-1)),
        Code::IntegerOverflow
    );
    assert_eq!(
        code(RemI64 { dst: d, a, b }, i64::MIN as u64, u64::MAX),
        Code::IntegerOverflow
    );
    assert_eq!(
        code(NegI32 { dst: d, src: a }, i(i32::MIN), 0),
        Code::IntegerOverflow
    );
    assert_eq!(
        code(NegI64 { dst: d, src: a }, i64::MIN as u64, 0),
        Code::IntegerOverflow
    );
    assert_eq!(code(ShlI32 { dst: d, a, b }, 1, i(40)), Code::InvalidShift);
    assert_eq!(code(ShrU64 { dst: d, a, b }, 1, 64), Code::InvalidShift);
    let conv = Convert {
        dst: d,
        src: a,
        from: Prim::I32,
        to: Prim::U64,
    };
    let err = eval(conv, i(-1), 0).unwrap_err();
    assert_eq!(err.code, Code::InvalidConversion);
    assert_eq!(err.message, "Cannot convert negative i32 to u64");
    assert_eq!(err.trace, vec![(0, 2)]);
}
