// The Actions cache service, through @actions/cache. With the storage SDK it is most of the bundle (about 0.1 s to
// load), so the cache stages import this module only once they are going to talk to the service: a step whose
// GOMODCACHE an earlier step already filled, or whose post step has nothing to save, never loads it.
export { isFeatureAvailable, restoreCache, saveCache } from '@actions/cache'
