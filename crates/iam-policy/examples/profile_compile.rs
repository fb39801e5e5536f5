//! Parses the seed statements many times, for profilers (valgrind
//! --tool=callgrind counts instructions): `cargo build --release --example
//! profile_compile -p iam-policy`.
fn main() {
    let text = include_str!("../benches/data/seed-statements.policy.json");
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut statements = 0;
    for _ in 0..n {
        let p = iam_policy::parse_policy(std::hint::black_box(text));
        statements += p.policy.map_or(0, |p| p.statements.len());
    }
    println!("{statements}");
}
