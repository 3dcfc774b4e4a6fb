// Twine's log sink is process-wide and the hosted reactor installs its own while a host runs: hosts in this assembly
// run one at a time so each test sees only its own host's sink.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
