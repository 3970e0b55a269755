//! Survey links for many identities through the batch engine: checked in
//! order first (the error names the first bad index), then signed and
//! rendered on all cores, handed over in order.

use crate::engine;
use crate::error::Error;
use crate::identity::Identity;
use crate::signature::Signature;
use crate::signer::Signer;
use crate::survey_link::{LinkOptions, SurveyUrl};

/// One survey link to render: who it is for and its contextual options.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRequest<'a> {
    pub identity: Identity<'a>,
    pub options: LinkOptions<'a>,
}

impl Signer {
    /// Survey links for every request, in order (SPEC.md section 9.7).
    pub fn survey_links(&self, url: &SurveyUrl<'_>, requests: &[LinkRequest<'_>]) -> Result<Vec<String>, Error> {
        let mut links = Vec::with_capacity(requests.len());
        self.survey_links_chunks(url, requests, requests.len(), |chunk| links.extend_from_slice(chunk))?;
        Ok(links)
    }

    /// [`survey_links`](Self::survey_links), handing the links over `chunk_len`
    /// at a time on the calling thread while the next chunk is made on all cores.
    pub fn survey_links_chunks(
        &self,
        url: &SurveyUrl<'_>,
        requests: &[LinkRequest<'_>],
        chunk_len: usize,
        mut emit: impl FnMut(&[String]),
    ) -> Result<(), Error> {
        self.links_through_engine(url, requests, chunk_len, String::new(), |_, link| link, |chunk| emit(chunk))
    }

    /// Each request's signature with its link, in order (for tools that
    /// write both, like the CLI's `links`).
    pub fn signed_survey_links(
        &self,
        url: &SurveyUrl<'_>,
        requests: &[LinkRequest<'_>],
    ) -> Result<Vec<(Signature, String)>, Error> {
        let mut signed = Vec::with_capacity(requests.len());
        let blank = (Signature::UNSET, String::new());
        self.links_through_engine(
            url,
            requests,
            requests.len(),
            blank,
            |signature, link| (signature, link),
            |chunk| signed.extend_from_slice(chunk),
        )?;
        Ok(signed)
    }

    fn links_through_engine<T: Clone + Send + Sync>(
        &self,
        url: &SurveyUrl<'_>,
        requests: &[LinkRequest<'_>],
        chunk_len: usize,
        blank: T,
        item: impl Fn(Signature, String) -> T + Sync,
        mut emit: impl FnMut(&[T]),
    ) -> Result<(), Error> {
        for (index, request) in requests.iter().enumerate() {
            check_request(url, request).map_err(|error| error.at_index(index))?;
        }
        let make = |start: usize, out: &mut [T]| {
            for (offset, slot) in out.iter_mut().enumerate() {
                let request = &requests[start + offset];
                let signature = self.sign(request.identity.id).map_err(|error| error.at_index(start + offset))?;
                let link = url.link(&request.identity, &signature, &request.options)?;
                *slot = item(signature, link);
            }
            Ok(())
        };
        engine::run(requests.len(), chunk_len, blank, make, |_, chunk| {
            emit(&chunk);
            Ok(())
        })
    }
}

/// Checks one request as a batch would (for callers that skip bad rows instead of failing).
pub fn check_request(url: &SurveyUrl<'_>, request: &LinkRequest<'_>) -> Result<(), Error> {
    request.identity.validate()?;
    url.check(&request.identity, &request.options)
}
