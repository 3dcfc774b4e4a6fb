using Twine.Defer;

namespace Twine.Processes;

/// <summary>
/// The reading end of a pipe as its owner drives it, whether it reads a descriptor on readiness (<see cref="PipeReader"/>)
/// or a stream with asynchronous reads (<see cref="StreamPipeReader"/>). Loop thread only.
/// </summary>
internal interface IPipeReader
{
    /// <summary>True once closed.</summary>
    bool Closed { get; }

    /// <summary>Starts reading, or only gets ready to when <paramref name="paused"/>.</summary>
    void Start(bool paused);

    /// <summary>Stops delivering data until <see cref="Resume"/>.</summary>
    void Pause();

    /// <summary>Delivers data again.</summary>
    void Resume();

    /// <summary>Closes now and tells the owner (once).</summary>
    void Close(Failure reason);
}
