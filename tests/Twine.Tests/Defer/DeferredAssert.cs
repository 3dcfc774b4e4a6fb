using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>Assertions shared by the Deferred tests.</summary>
internal static class DeferredAssert
{
    /// <summary>Asserts that <paramref name="d"/> has failed, returns the failure, and handles it so it is not reported as unhandled.</summary>
    public static Failure FailureOf<T>(Deferred<T> d)
    {
        Assert.True(d.Called);
        var failure = d.Result.Failure;
        Assert.NotNull(failure);
        d.AddErrback(_ => { });
        return failure;
    }
}
