//! The core's own time for a batch, for benchmarks of the bindings that must
//! compare against it in the same run (bindings-python/bench/arrow_bench.py):
//! signs the ids `user-{i:08}` for `i` below COUNT with `Signer::sign_many`
//! under KEY, ROUNDS times after one warm-up, and prints one line per round
//! with the seconds taken, then the SHA-256 of all signatures back to back (so
//! the caller can check it got the same output).
//!
//! Usage: sign_many_seconds KEY COUNT ROUNDS

use std::hint::black_box;
use std::time::Instant;

use refiner_identity::{Signature, Signer, UserId};
use sha2::{Digest, Sha256};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(key), Some(count), Some(rounds)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: sign_many_seconds KEY COUNT ROUNDS");
        std::process::exit(2);
    };
    let (Ok(count), Ok(rounds)) = (count.parse::<usize>(), rounds.parse::<usize>()) else {
        eprintln!("COUNT and ROUNDS are whole numbers");
        std::process::exit(2);
    };
    let Ok(signer) = Signer::new(key) else {
        eprintln!("KEY is not a usable secret");
        std::process::exit(2);
    };
    let ids: Vec<String> = (0..count).map(|i| format!("user-{i:08}")).collect();
    let user_ids: Vec<UserId<'_>> = ids.iter().map(|id| UserId::Text(id)).collect();
    let Ok(signatures) = signer.sign_many(&user_ids) else {
        eprintln!("the ids were refused");
        std::process::exit(1);
    };
    for _ in 0..rounds {
        let start = Instant::now();
        drop(black_box(signer.sign_many(black_box(&user_ids))));
        println!("{}", start.elapsed().as_secs_f64());
    }
    let digest = Sha256::digest(Signature::concatenated(&signatures));
    println!("{}", digest.iter().map(|byte| format!("{byte:02x}")).collect::<String>());
}
