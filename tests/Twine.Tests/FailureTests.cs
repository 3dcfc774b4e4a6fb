using System.Runtime.CompilerServices;
using Twine.Defer;

namespace Twine.Tests;

/// <summary><see cref="Failure"/> (docs/behaviours.md §11, FA1–FA7).</summary>
public sealed class FailureTests
{
    private class BaseError(string message = "base") : Exception(message);

    private sealed class DerivedError(string message = "derived") : BaseError(message);

    private sealed class UnprintableError : Exception
    {
        public override string Message => throw new InvalidOperationException("no message for you");

        public override string ToString() => throw new InvalidOperationException("no text for you");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowingFrame() => throw new DerivedError("boom");

    private static Failure Caught()
    {
        try
        {
            ThrowingFrame();
        }
        catch (Exception e)
        {
            return new Failure(e);
        }
        throw new InvalidOperationException("unreachable");
    }

    // ---- FA1, FA2: construction ----------------------------------------------------------------------------

    [Fact]
    public void FA1_FailureWrapsTheExceptionAndItsType()
    {
        var e = new DerivedError();
        var f = new Failure(e);
        Assert.Same(e, f.Value);
        Assert.Equal(typeof(DerivedError), f.Type);
    }

    [Fact]
    public void FA1_FailureFromFailureSharesTheValue()
    {
        var f = Caught();
        var copy = new Failure(f);
        Assert.Same(f.Value, copy.Value);
        Assert.Equal(f.GetTraceback(), copy.GetTraceback());
    }

    [Fact]
    public void FA2_NullIsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new Failure((Exception)null!));
        Assert.Throws<ArgumentNullException>(() => new Failure((Failure)null!));
    }

    // ---- FA3: check ----------------------------------------------------------------------------------------

    [Fact]
    public void FA3_CheckReturnsTheFirstMatchingTypeIncludingBaseClasses()
    {
        var f = new Failure(new DerivedError());
        Assert.Equal(typeof(BaseError), f.Check(typeof(ArgumentException), typeof(BaseError), typeof(DerivedError)));
        Assert.Equal(typeof(DerivedError), f.Check(typeof(DerivedError), typeof(BaseError)));
        Assert.Equal(typeof(Exception), f.Check(typeof(Exception)));
        Assert.Null(f.Check(typeof(ArgumentException), typeof(TimeoutException)));
        Assert.Null(f.Check());
        Assert.True(f.Check<BaseError>());
        Assert.False(f.Check<ArgumentException>());
    }

    // ---- FA4: trap -----------------------------------------------------------------------------------------

    [Fact]
    public void FA4_TrapReturnsTheMatchOrRethrowsTheOriginalException()
    {
        var f = Caught();
        Assert.Equal(typeof(BaseError), f.Trap(typeof(BaseError)));
        Assert.Same(f.Value, f.Trap<DerivedError>());
        var thrown = Assert.ThrowsAny<Exception>(() => f.Trap(typeof(ArgumentException)));
        Assert.Same(f.Value, thrown);
        Assert.Same(f.Value, Assert.ThrowsAny<Exception>(() => f.Trap<TimeoutException>()));
        Assert.Contains(nameof(ThrowingFrame), thrown.StackTrace);
    }

    [Fact]
    public void FA4_TrapInsideAnErrbackPassesTheSameFailureOn()
    {
        var d = new Deferred<int>();
        var original = Caught();
        Failure? later = null;
        d.AddErrback(f => { f.Trap<ArgumentException>(); return 1; })
         .AddErrback(f => { later = f; return 2; });
        d.Errback(original);
        Assert.Same(original, later);
        Assert.Equal(2, d.Result.Value);
    }

    [Fact]
    public void FA4_ThrowingANewExceptionInAnErrbackReplacesTheFailure()
    {
        var d = new Deferred<int>();
        var replacement = new BaseError("replacement");
        Failure? later = null;
        d.AddErrback(_ => throw replacement)
         .AddErrback(f => { later = f; return 0; });
        d.Errback(new DerivedError());
        Assert.Same(replacement, later!.Value);
    }

    // ---- FA5: messages -------------------------------------------------------------------------------------

    [Fact]
    public void FA5_ErrorMessageIsTheExceptionMessageAndNeverThrows()
    {
        Assert.Equal("boom", new Failure(new DerivedError("boom")).GetErrorMessage());
        var unprintable = new Failure(new UnprintableError());
        var message = unprintable.GetErrorMessage();
        Assert.Contains("unavailable", message);
    }

    [Fact]
    public void FA5_ToStringIsTheBriefTracebackInBrackets()
    {
        var text = Caught().ToString();
        Assert.StartsWith("[Failure instance: Traceback: ", text);
        Assert.Contains(typeof(DerivedError).FullName!, text);
        Assert.Contains("boom", text);
        Assert.EndsWith("]", text);
    }

    // ---- FA6: tracebacks -----------------------------------------------------------------------------------

    [Fact]
    public void FA6_DefaultTracebackIsTheExceptionLineThenFramesInnermostFirstAsDotNetPrintsThem()
    {
        var text = Caught().GetTraceback();
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal($"{typeof(DerivedError).FullName}: boom", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("   at ", l));
        int caller = Array.FindIndex(lines, l => l.Contains(nameof(Caught)));
        int thrower = Array.FindIndex(lines, l => l.Contains(nameof(ThrowingFrame)));
        Assert.True(thrower > 0 && caller > thrower, text);
        Assert.DoesNotContain("Traceback", text);
        Assert.EndsWith("\n", text);
    }

    [Fact]
    public void FA6_FailureWithNoFramesSaysSo()
    {
        var f = new Failure(new DerivedError("never thrown"));
        Assert.Equal($"{typeof(DerivedError).FullName}: never thrown\n", f.GetTraceback());
        Assert.Equal($"{typeof(DerivedError).FullName}: never thrown\n", f.GetTraceback(TracebackDetail.Brief));
    }

    [Fact]
    public void FA6_BriefTracebackHasOneFileLineMethodPerFrame()
    {
        var text = Caught().GetTraceback(TracebackDetail.Brief);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal($"{typeof(DerivedError).FullName}: boom", lines[0]);
        Assert.Contains(lines, l => l.EndsWith(":" + nameof(ThrowingFrame)) && l.Contains("FailureTests.cs:"));
    }

    [Fact]
    public void FA6_VerboseTracebackAddsTheFullExceptionText()
    {
        var f = Caught();
        var verbose = f.GetTraceback(TracebackDetail.Verbose);
        Assert.StartsWith(f.GetTraceback(), verbose);
        Assert.Contains(f.Value.ToString(), verbose);
    }

    [Fact]
    public void FA6_InvalidDetailIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Caught().GetTraceback((TracebackDetail)42));
    }

    [Fact]
    public void FA6_TracebackNeverThrowsEvenWhenTheExceptionCannotBePrinted()
    {
        var f = new Failure(new UnprintableError());
        foreach (var detail in Enum.GetValues<TracebackDetail>())
        {
            var text = f.GetTraceback(detail);
            Assert.Contains(typeof(UnprintableError).FullName!, text);
        }
        Assert.StartsWith("[Failure instance:", f.ToString());
    }

    // ---- FA7: raiseException -------------------------------------------------------------------------------

    [Fact]
    public void FA7_RaiseExceptionRethrowsTheSameObjectWithItsOriginalStack()
    {
        var f = Caught();
        var thrown = Assert.Throws<DerivedError>(() => f.RaiseException());
        Assert.Same(f.Value, thrown);
        Assert.Contains(nameof(ThrowingFrame), thrown.StackTrace);
        Assert.Contains(nameof(FA7_RaiseExceptionRethrowsTheSameObjectWithItsOriginalStack), thrown.StackTrace);
    }

    [Fact]
    public void OutcomeValueRethrowsTheFailure()
    {
        var f = Caught();
        var outcome = new Outcome<int>(f);
        Assert.False(outcome.Succeeded);
        Assert.Same(f.Value, Assert.Throws<DerivedError>(() => outcome.Value));
        Assert.Equal(0, outcome.ValueOrDefault);
        Assert.Equal(5, new Outcome<int>(5).Value);
    }
}
