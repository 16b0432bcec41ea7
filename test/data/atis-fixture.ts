// The real ATIS file the tests read: fold 3 of the tutorial, a copy in test/fixtures (see its README).
export const ATIS_FILE = new URL('../fixtures/atis-fold3.json.gz', import.meta.url).pathname;
