//! Unit tests of the heap: strings, arrays, collection and limits.

use super::*;
use crate::bytecode::{EnumLayout, StructLayout};

fn heap() -> Heap {
    Heap::new(&[b"hello".to_vec(), b"".to_vec()], None)
}

#[test]
fn interned_strings_have_their_index_as_handle() {
    let heap = heap();
    assert_eq!(heap.get_str(0), b"hello");
    assert_eq!(heap.get_str(1), b"");
    assert_eq!(heap.object_count(), 2);
}

#[test]
fn collect_frees_unreachable_and_reuses_slots() {
    let mut heap = heap();
    let a = heap.alloc_str(b"a").unwrap();
    let b = heap.alloc_str(b"b").unwrap();
    heap.collect([u64::from(b)]);
    assert_eq!(heap.object_count(), 3);
    assert_eq!(heap.get_str(0), b"hello");
    assert_eq!(heap.get_str(b), b"b");
    let c = heap.alloc_str(b"c").unwrap();
    assert_eq!(c, a, "freed slot reused");
    assert_eq!(heap.peak_object_count(), 4);
}

#[test]
fn garbage_roots_are_ignored() {
    let mut heap = heap();
    let a = heap.alloc_str(b"a").unwrap();
    heap.collect([u64::MAX, 1 << 40, 999, u64::from(a) + 1, 0]);
    assert_eq!(heap.object_count(), 2);
    // A stale handle to a freed slot is no root either.
    heap.collect([u64::from(a)]);
    assert_eq!(heap.object_count(), 2);
}

#[test]
fn concat_short_and_long() {
    let mut heap = heap();
    let ab = heap.concat(0, 0).unwrap();
    assert_eq!(heap.get_str(ab), b"hellohello");
    let long = heap.alloc_str(&[b'x'; 70]).unwrap();
    let s = heap.concat(long, 0).unwrap();
    assert_eq!(heap.get_str(s).len(), 75);
    assert!(heap.get_str(s).ends_with(b"xhello"));
}

#[test]
fn appending_in_place_keeps_old_prefixes() {
    let mut heap = heap();
    let mut s = heap.alloc_str(&[b'a'; 64]).unwrap();
    s = heap.concat(s, 0).unwrap();
    let before = s;
    s = heap.concat(s, 0).unwrap();
    assert_eq!(heap.get_str(before).len(), 69);
    assert_eq!(heap.get_str(s).len(), 74);
    // `before` no longer ends the buffer: appending to it must copy.
    let branch = heap.concat(before, 1).unwrap();
    let branch2 = heap.concat(branch, 0).unwrap();
    assert_eq!(heap.get_str(branch2).len(), 74);
    assert_eq!(heap.get_str(s), heap.get_str(branch2));
    // Self-concatenation of a slice that ends its buffer.
    let doubled = heap.concat(s, s).unwrap();
    assert_eq!(heap.get_str(doubled).len(), 148);
    assert_eq!(&heap.get_str(doubled)[..74], heap.get_str(s));
    assert_eq!(&heap.get_str(doubled)[74..], heap.get_str(s));
    // Collecting with only the slice as root keeps its buffer.
    heap.collect([u64::from(doubled)]);
    assert_eq!(heap.get_str(doubled).len(), 148);
    assert_eq!(heap.object_count(), 2 + 2);
}

#[test]
fn a_growing_string_moves_into_a_buffer_early() {
    let mut heap = heap();
    // A short one-off concatenation is one plain string...
    let first = heap.concat(0, 0).unwrap();
    assert!(matches!(heap.slots[first as usize], Object::Small { .. }));
    let thirty = heap.alloc_str(&[b'x'; 30]).unwrap();
    let once = heap.concat(0, 0).unwrap();
    let three = heap
        .concat_many(&[u64::from(once), u64::from(once), 0])
        .unwrap();
    assert!(
        matches!(heap.slots[three as usize], Object::Str(_)),
        "25 bytes, first part short"
    );
    // ...but extending a string already too long to be inline starts a buffer, and the
    // next append goes into that buffer in place.
    let grown = heap.concat(thirty, 0).unwrap();
    let Object::Slice { buf, len: 35 } = heap.slots[grown as usize] else {
        panic!("expected a slice, found {:?}", heap.slots[grown as usize]);
    };
    let again = heap.concat(grown, 0).unwrap();
    assert!(matches!(heap.slots[again as usize], Object::Slice { buf: b, len: 40 } if b == buf));
    assert_eq!(
        heap.get_str(again),
        [&[b'x'; 30][..], b"hellohello"].concat()
    );
    assert_eq!(heap.get_str(grown), [&[b'x'; 30][..], b"hello"].concat());
}

#[test]
fn concat_bytes_appends_in_place_when_the_buffer_has_room() {
    let mut heap = heap();
    // Short: inline, and the first part is left as it was.
    let small = heap.concat_bytes(0, b", 12").unwrap();
    assert!(matches!(
        heap.slots[small as usize],
        Object::Small { len: 9, .. }
    ));
    assert_eq!(heap.get_str(small), b"hello, 12");
    assert_eq!(heap.get_str(0), b"hello");
    // A long string extended starts a buffer with room to spare...
    let thirty = heap.alloc_str(&[b'x'; 30]).unwrap();
    let grown = heap.concat_bytes(thirty, b"12").unwrap();
    let Object::Slice { buf, len: 32 } = heap.slots[grown as usize] else {
        panic!("expected a slice, found {:?}", heap.slots[grown as usize]);
    };
    assert!(matches!(&heap.slots[buf as usize], Object::Buffer(b) if b.capacity() >= 64));
    // ...which the next appends fill in place; older slices keep their prefix.
    let again = heap.concat_bytes(grown, b"345").unwrap();
    assert!(matches!(heap.slots[again as usize], Object::Slice { buf: b, len: 35 } if b == buf));
    assert_eq!(heap.get_str(grown), [&[b'x'; 30][..], b"12"].concat());
    assert_eq!(heap.get_str(again), [&[b'x'; 30][..], b"12345"].concat());
    // `grown` no longer ends the buffer: extending it again copies.
    let branch = heap.concat_bytes(grown, b"9").unwrap();
    assert!(!matches!(heap.slots[branch as usize], Object::Slice { buf: b, .. } if b == buf));
    assert_eq!(heap.get_str(branch), [&[b'x'; 30][..], b"129"].concat());
    assert_eq!(heap.get_str(again), [&[b'x'; 30][..], b"12345"].concat());
    // Past the buffer's room the buffer grows, still in place.
    let long = heap.concat_bytes(again, &[b'y'; 100]).unwrap();
    assert!(matches!(heap.slots[long as usize], Object::Slice { buf: b, len: 135 } if b == buf));
    assert_eq!(&heap.get_str(long)[35..], &[b'y'; 100][..]);
}

#[test]
fn str_len_agrees_with_the_bytes_of_every_kind_of_string() {
    let mut heap = heap();
    let long = heap.alloc_str(&[b'x'; 40]).unwrap();
    let slice = heap.concat(long, 0).unwrap();
    let older = heap.concat(slice, 0).unwrap();
    assert!(matches!(heap.slots[slice as usize], Object::Slice { .. }));
    for handle in [0, 1, long, slice, older] {
        assert_eq!(heap.str_len(handle), heap.get_str(handle).len(), "{handle}");
    }
}

#[test]
fn building_a_long_string_is_linear() {
    let mut heap = heap();
    let piece = heap.alloc_str(b"0123456789").unwrap();
    let mut s = heap.alloc_str(b"").unwrap();
    for _ in 0..100_000 {
        s = heap.concat(s, piece).unwrap();
    }
    assert_eq!(heap.get_str(s).len(), 1_000_000);
    // Slices charge only their overhead; the buffer doubles: far below 2 * n^2.
    assert!(heap.live_bytes() < 10_000_000, "{}", heap.live_bytes());
}

#[test]
fn limit_turns_into_out_of_memory() {
    let mut heap = Heap::new(&[], Some(10_000));
    let mut kept = Vec::new();
    let fault = loop {
        match heap.alloc_str(&vec![0; 1000]) {
            Ok(h) => kept.push(h),
            Err(fault) => break fault,
        }
    };
    assert_eq!(fault.code, Code::OutOfMemory);
    assert_eq!(fault.message, "heap limit exceeded");
    heap.collect(kept.iter().map(|&h| u64::from(h)).skip(2));
    assert!(heap.alloc_str(&vec![0; 1000]).is_ok());
}

#[test]
fn arrays_push_pop_slice_in_place() {
    let mut heap = heap();
    let a = heap.alloc_array(&[1, 2, 3], false).unwrap();
    assert_eq!(heap.array(a), &[1, 2, 3]);
    heap.array_push(a, 4).unwrap();
    heap.array_mut(a)[0] = 9;
    assert_eq!(heap.array_pop(a), Some(4));
    assert_eq!(heap.array(a), &[9, 2, 3]);
    let s = heap.slice_array(a, 1..3).unwrap();
    assert_eq!(heap.array(s), &[2, 3]);
    heap.array_mut(s)[0] = 0;
    assert_eq!(heap.array(a), &[9, 2, 3], "a slice is a copy");
    let empty = heap.slice_array(a, 3..3).unwrap();
    assert_eq!(heap.array_pop(empty), None);
}

#[test]
fn a_push_within_capacity_never_grows_the_array() {
    let mut heap = heap();
    let a = heap.alloc_array(&[1, 2, 3], false).unwrap();
    let charged = heap.live_bytes();
    // Exactly full: refused, and nothing changes.
    assert!(!heap.push_within_capacity(a, 4));
    assert_eq!(heap.array(a), &[1, 2, 3]);
    heap.array_push(a, 4).unwrap();
    let grown = heap.live_bytes();
    assert!(grown > charged);
    assert!(heap.push_within_capacity(a, 5));
    assert_eq!(heap.array(a), &[1, 2, 3, 4, 5]);
    assert_eq!(heap.live_bytes(), grown, "no growth, no charge");
    // Not an array: refused (the growing path reports the compiler bug).
    assert!(!heap.push_within_capacity(0, 1));
}

#[test]
fn array_growth_is_geometric_and_charged() {
    let mut heap = Heap::new(&[], None);
    let a = heap.alloc_array(&[], false).unwrap();
    let before = heap.live_bytes();
    let mut growths = 0;
    let mut last = before;
    for v in 0..1_000_000 {
        heap.array_push(a, v).unwrap();
        if heap.live_bytes() != last {
            growths += 1;
            last = heap.live_bytes();
        }
    }
    assert!(growths < 25, "{growths} growths");
    assert!(heap.live_bytes() - before >= 8_000_000);
    assert!(
        heap.wants_collection(),
        "growth counts toward the next collection"
    );
    heap.collect([u64::from(a)]);
    assert_eq!(heap.array(a).len(), 1_000_000);
}

#[test]
fn only_reference_arrays_trace_their_elements() {
    let mut heap = heap();
    let x = heap.alloc_str(b"x").unwrap();
    let y = heap.alloc_str(b"y").unwrap();
    let refs = heap.alloc_array(&[u64::from(x)], true).unwrap();
    // Integers that happen to equal a handle keep nothing alive.
    let ints = heap.alloc_array(&[u64::from(y), u64::MAX], false).unwrap();
    let outer = heap
        .alloc_array(&[u64::from(refs), u64::from(ints)], true)
        .unwrap();
    heap.collect([u64::from(outer)]);
    assert_eq!(heap.object_count(), 2 + 4, "y was freed");
    assert_eq!(heap.get_str(x), b"x");
    heap.collect([]);
    assert_eq!(heap.object_count(), 2);
}

#[test]
fn byte_strings_are_made_once_and_kept() {
    let mut heap = heap();
    let a = heap.byte_str(b'a').unwrap();
    assert_eq!(heap.byte_str(b'a').unwrap(), a);
    assert_eq!(heap.get_str(a), b"a");
    heap.collect([]);
    assert_eq!(heap.get_str(a), b"a");
    assert_eq!(heap.byte_str(b'a').unwrap(), a);
    assert_eq!(heap.object_count(), 3);
}

#[test]
fn threshold_grows_with_live_size() {
    let mut heap = Heap::new(&[], None);
    assert!(!heap.wants_collection());
    let big = heap.alloc_str(&vec![0; 3 << 20]).unwrap();
    assert!(heap.wants_collection());
    heap.collect([u64::from(big)]);
    assert!(!heap.wants_collection());
    heap.alloc_str(&vec![0; 4 << 20]).unwrap();
    assert!(!heap.wants_collection(), "threshold is 2x live (6 MB)");
    heap.alloc_str(&vec![0; 3 << 20]).unwrap();
    assert!(heap.wants_collection());
}

fn layouts() -> (Vec<StructLayout>, Vec<EnumLayout>) {
    use crate::bytecode::ValType;
    // Pair and Two are held inside their objects, Quad and Four in a separate block.
    let quad = vec![ValType::I32, ValType::Str, ValType::I32, ValType::Str];
    let structs = vec![
        StructLayout {
            name: "Pair".into(),
            fields: vec![("n".into(), ValType::I32), ("s".into(), ValType::Str)],
        },
        StructLayout {
            name: "Quad".into(),
            fields: ["a", "b", "c", "d"]
                .map(Into::into)
                .into_iter()
                .zip(quad.clone())
                .collect(),
        },
    ];
    let enums = vec![EnumLayout {
        name: "E".into(),
        variants: vec![
            ("Unit".into(), vec![]),
            ("Two".into(), vec![ValType::U64, ValType::Str]),
            ("Four".into(), quad),
        ],
    }];
    (structs, enums)
}

#[test]
fn struct_and_enum_slots_are_traced_by_layout() {
    let mut heap = heap();
    let (structs, enums) = layouts();
    heap.set_layouts(&structs, &enums);
    let x = heap.alloc_str(b"x").unwrap();
    let y = heap.alloc_str(b"y").unwrap();
    let z = heap.alloc_str(b"z").unwrap();
    // The i32 field equals y's handle but is no reference.
    let pair = heap.alloc_struct(0, &[u64::from(y), u64::from(x)]).unwrap();
    let two = heap
        .alloc_enum(0, 1, &[u64::from(z), u64::from(y)])
        .unwrap();
    heap.collect([u64::from(pair), u64::from(two)]);
    assert_eq!(
        heap.object_count(),
        2 + 4,
        "z was freed, y kept by the payload"
    );
    assert_eq!(heap.get_str(x), b"x");
    heap.set_field(pair, 0, 7);
    assert_eq!(heap.field(pair, 0), 7);
    assert_eq!(heap.struct_fields(pair), (0, [7, u64::from(x)].as_slice()));
    assert_eq!(heap.enum_value(two).1, 1);
    heap.collect([]);
    assert_eq!(heap.object_count(), 2);
}

#[test]
fn objects_with_more_than_three_slots_are_traced_by_layout() {
    let mut heap = heap();
    let (structs, enums) = layouts();
    heap.set_layouts(&structs, &enums);
    let [a, b, c, d] = [b"a", b"b", b"c", b"d"].map(|t| u64::from(heap.alloc_str(t).unwrap()));
    // The i32 slots hold c's and d's handles but are no references.
    let quad = heap.alloc_struct(1, &[c, a, d, b]).unwrap();
    let four = heap.alloc_enum(0, 2, &[d, b, c, a]).unwrap();
    heap.collect([u64::from(quad)]);
    assert_eq!(heap.object_count(), 2 + 3, "c, d and the enum were freed");
    assert_eq!(heap.struct_fields(quad), (1, [c, a, d, b].as_slice()));
    heap.set_field(quad, 3, 9);
    assert_eq!(heap.field(quad, 3), 9);
    let four_again = heap.alloc_enum(0, 2, &[1, a, 2, a]).unwrap();
    assert!(four_again == four, "the freed slot is reused");
    heap.collect([u64::from(four_again)]);
    assert_eq!(heap.object_count(), 2 + 2, "a and the enum stay");
    assert_eq!(heap.enum_value(four_again), (0, 2, [1, a, 2, a].as_slice()));
}

#[test]
fn unit_variants_are_shared_and_kept() {
    let mut heap = heap();
    let (structs, enums) = layouts();
    heap.set_layouts(&structs, &enums);
    let a = heap.alloc_enum(0, 0, &[]).unwrap();
    heap.collect([]);
    assert_eq!(heap.alloc_enum(0, 0, &[]).unwrap(), a);
    assert_eq!(heap.enum_value(a), (0, 0, [].as_slice()));
}

#[test]
fn cells_and_closures_are_traced_conservatively() {
    let mut heap = heap();
    let s = heap.alloc_str(b"s").unwrap();
    let t = heap.alloc_str(b"t").unwrap();
    // A cycle: cell -> closure -> cell, plus a string and an integer.
    let cell = heap.alloc_cell(0).unwrap();
    let closure = heap
        .alloc_closure(3, &[u64::from(cell), u64::from(s), u64::MAX])
        .unwrap();
    heap.set_cell(cell, u64::from(closure));
    heap.collect([u64::from(cell)]);
    assert_eq!(heap.object_count(), 2 + 3, "t was freed");
    assert_eq!(heap.closure_func(closure), 3);
    assert_eq!(heap.capture(closure, 1), Some(u64::from(s)));
    assert_eq!(heap.capture(closure, 3), None);
    assert_eq!(heap.cell(cell), u64::from(closure));
    let _ = t;
    heap.collect([]);
    assert_eq!(heap.object_count(), 2, "the cycle was freed");
}

#[test]
fn error_values_keep_code_and_message() {
    let mut heap = heap();
    let e = heap.alloc_error(Code::Thrown, "bad", (0, 0)).unwrap();
    assert_eq!(heap.error_value(e), (Code::Thrown, "bad", (0, 0)));
}

#[test]
fn closures_without_captures_are_shared_and_kept() {
    let mut heap = heap();
    let f = heap.alloc_closure(5, &[]).unwrap();
    heap.collect([]);
    assert_eq!(heap.alloc_closure(5, &[]).unwrap(), f);
    assert_ne!(heap.alloc_closure(4, &[]).unwrap(), f);
    assert_ne!(heap.alloc_closure(5, &[1]).unwrap(), f);
    assert_eq!(heap.closure_func(f), 5);
}

#[test]
fn collected_object_storage_is_reused_with_new_values() {
    let mut heap = heap();
    let (structs, enums) = layouts();
    heap.set_layouts(&structs, &enums);
    for round in 0..3u64 {
        let made: Vec<Handle> = (0..100)
            .map(|i| heap.alloc_struct(1, &[i, 0, round, 0]).unwrap())
            .collect();
        for (i, &h) in made.iter().enumerate() {
            assert_eq!(heap.struct_fields(h).1, [i as u64, 0, round, 0].as_slice());
        }
        // Nothing is rooted: every struct is collected and its storage pooled.
        heap.collect([]);
        assert_eq!(heap.pooled_slots, 400, "round {round}");
    }
    // An enum of the same length takes pooled storage too; a short one needs none.
    let four = heap.alloc_enum(0, 2, &[5, 0, 6, 0]).unwrap();
    assert_eq!(heap.enum_value(four).2, [5, 0, 6, 0].as_slice());
    assert_eq!(heap.pooled_slots, 396);
    let two = heap.alloc_enum(0, 1, &[5, 6]).unwrap();
    assert_eq!(heap.enum_value(two).2, [5, 6].as_slice());
    assert_eq!(heap.pooled_slots, 396);
}

#[test]
fn string_equality_and_order_match_the_bytes() {
    // Small strings compare word by word on their zero-padded bytes; the results must
    // be those of the byte slices, including NUL bytes, prefixes, every length around
    // the small limit, and small against long (sliced) strings.
    let mut heap = heap();
    let mut texts: Vec<Vec<u8>> = vec![vec![], b"\0".to_vec(), b"a".to_vec(), b"a\0".to_vec()];
    for len in [1, 7, 8, 9, 15, 16, 17, 22, 23, 24, 30] {
        let base: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
        let mut last = base.clone();
        *last.last_mut().unwrap() = b'z';
        let mut first = base.clone();
        first[0] = b'Z';
        texts.extend([base, last, first]);
    }
    let mut handles = vec![];
    for t in &texts {
        handles.push(heap.alloc_str(t).unwrap());
    }
    // A long string made by appending, and a small one made by concatenation.
    let long = heap.concat(handles[texts.len() - 3], handles[2]).unwrap();
    let small = heap.concat(handles[2], handles[1]).unwrap();
    texts.push(heap.get_str(long).to_vec());
    texts.push(heap.get_str(small).to_vec());
    handles.extend([long, small]);
    for (i, &a) in handles.iter().enumerate() {
        for (j, &b) in handles.iter().enumerate() {
            assert_eq!(heap.str_eq(a, b), texts[i] == texts[j], "{i} == {j}");
            assert_eq!(heap.str_cmp(a, b), texts[i].cmp(&texts[j]), "{i} cmp {j}");
        }
    }
}

#[test]
fn small_objects_are_charged_what_they_take() {
    // A one-slot payload is a 32-byte malloc block, not 8 bytes, and each object holds a
    // share of the object table: a 1 MiB limit holds at most ~13 000 such closures, where
    // counting 40 bytes each let 26 000 in (and real memory reach 2.4x the limit). A
    // four-slot one is a 48-byte block (~11 000); up to three struct fields are inside the
    // object (~22 000 structs).
    assert_eq!(
        (
            malloc_block(0),
            malloc_block(8),
            malloc_block(24),
            malloc_block(25)
        ),
        (0, 32, 32, 48)
    );
    let (structs, enums) = layouts();
    let mut structs_made = 0;
    let mut heap = Heap::new(&[], Some(1 << 20));
    heap.set_layouts(&structs, &enums);
    while heap.alloc_struct(0, &[1, 2]).is_ok() {
        structs_made += 1;
        assert!(
            structs_made < 1 << 20,
            "the limit never stopped the allocations"
        );
    }
    assert!(
        (21_000..=22_000).contains(&structs_made),
        "{structs_made} structs"
    );
    for (captures, most) in [(&[7, 7, 7, 7][..], 11_000), (&[7][..], 13_200)] {
        let mut heap = Heap::new(&[], Some(1 << 20));
        let mut made = 0;
        while heap.alloc_closure(0, captures).is_ok() {
            made += 1;
            assert!(made < 1 << 20, "the limit never stopped the allocations");
        }
        assert!(
            (most - 1_200..=most).contains(&made),
            "{made} closures of {} captures in 1 MiB",
            captures.len()
        );
    }
}

#[test]
fn collections_after_a_peak_wait_for_the_tables_share() {
    // 200 000 objects made and dropped: the table keeps its 200 000 slots, so the next
    // collection waits for about their share of allocations, not for the 2 MiB minimum.
    let mut heap = Heap::new(&[], None);
    for i in 0..200_000u64 {
        heap.alloc_closure(0, &[i]).unwrap();
    }
    heap.collect([]);
    assert_eq!(heap.object_count(), 0);
    let mut made = 0;
    while !heap.wants_collection() {
        heap.alloc_closure(0, &[1]).unwrap();
        made += 1;
    }
    assert!(
        made >= 100_000,
        "collection wanted after {made} small objects"
    );
    assert_eq!(next_threshold(0, 0), MIN_THRESHOLD);
    assert_eq!(next_threshold(10 << 20, 0), 20 << 20);
}

#[test]
fn append_owned_keeps_the_handle_and_never_changes_constants() {
    let mut heap = heap();
    // An interned constant is shared by every load of it: a new string.
    let fresh = heap.append_owned(1, b"x").unwrap();
    assert_ne!(fresh, 1);
    assert_eq!(heap.get_str(1), b"");
    assert_eq!(heap.get_str(fresh), b"x");
    // An inline string that stays inline, then moves into a buffer.
    let s = heap.alloc_str(b"ab").unwrap();
    assert_eq!(heap.append_owned(s, b"cd").unwrap(), s);
    assert_eq!(heap.get_str(s), b"abcd");
    assert_eq!(heap.append_owned(s, &[b'y'; SMALL_LEN]).unwrap(), s);
    assert_eq!(heap.get_str(s).len(), 4 + SMALL_LEN);
    // The slice that ends its buffer, in place while the buffer has room and when it
    // grows; an older slice of the same buffer keeps its prefix.
    let older = heap.concat_bytes(s, b"1").unwrap();
    let objects = heap.object_count();
    for _ in 0..40 {
        assert_eq!(heap.append_owned(older, b"23").unwrap(), older);
    }
    assert_eq!(heap.object_count(), objects, "no new object");
    assert_eq!(heap.get_str(older).len(), 4 + SMALL_LEN + 81);
    assert_eq!(&heap.get_str(older)[4 + SMALL_LEN..][..3], b"123");
    assert_eq!(heap.get_str(s).len(), 4 + SMALL_LEN);
    // `s` no longer ends its buffer: a new string.
    let other = heap.append_owned(s, b"4").unwrap();
    assert_ne!(other, s);
    assert_eq!(heap.get_str(other).len(), 5 + SMALL_LEN);
    assert_eq!(heap.get_str(s).len(), 4 + SMALL_LEN);
}
