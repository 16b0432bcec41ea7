// The real ATIS file the tests read: fold 3 of the tutorial, in ../shared/data beside the repository.
export const ATIS_FILE = new URL('../../../shared/data/atis/fold3.json.gz', import.meta.url).pathname;
