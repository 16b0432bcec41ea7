// The real IMDB data the tests read: every review under 100 words, over the first 3,000 words of the
// dictionary (test/fixtures, see its README).
export const IMDB_FILE = new URL('../fixtures/imdb-short-reviews.json.gz', import.meta.url).pathname;
export const IMDB_DICT = new URL('../fixtures/imdb-dict-3000.json.gz', import.meta.url).pathname;
