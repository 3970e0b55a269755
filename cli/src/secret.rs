//! Where the secret key comes from: REFINER_SECRET_KEY or `--secret-file`.

use std::path::Path;

use refiner_identity::{Signer, DEFAULT_SECRET_ENV};
use zeroize::Zeroizing;

use crate::Failure;

pub fn load_signer(secret_file: Option<&Path>) -> Result<Signer, Failure> {
    let Some(path) = secret_file else {
        return Signer::from_env(DEFAULT_SECRET_ENV).map_err(|e| Failure::Error(e.to_string()));
    };
    let secret = std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| Failure::Error(format!("cannot read --secret-file {}: {e}", path.display())))?;
    Signer::new(&*secret).map_err(|e| Failure::Error(format!("--secret-file {}: {e}", path.display())))
}
