using Twine.Defer;

namespace Twine.Processes;

/// <summary>What a <see cref="PipeReader"/> or <see cref="PipeWriter"/> reports to: a child process or <see cref="StandardIO"/>.</summary>
internal interface IPipeOwner
{
    /// <summary>Bytes read from the pipe of <paramref name="childFd"/>; valid only during the call.</summary>
    void PipeData(int childFd, ReadOnlySpan<byte> data);

    /// <summary>The pipe of <paramref name="childFd"/> is closed (EOF, an error, or closed on request). Called once.</summary>
    void PipeClosed(int childFd, Failure reason);

    /// <summary>A callback of the owner's protocol threw while the pipe called it: the owner logs it and closes.</summary>
    void ProtocolFailed(string where, Exception error);
}
