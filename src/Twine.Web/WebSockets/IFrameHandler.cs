namespace Twine.Web.WebSockets;

/// <summary>What <see cref="FrameDecoder"/> reports, frame by frame.</summary>
internal interface IFrameHandler
{
    /// <summary>A valid frame header arrived; its payload follows in <see cref="FramePayload"/> pieces.</summary>
    void FrameStarted(in FrameHeader header);

    /// <summary>The next piece of the current frame's payload, unmasked; only valid during the call.</summary>
    void FramePayload(ReadOnlySpan<byte> payload);

    /// <summary>The current frame's payload is complete.</summary>
    void FrameEnded();
}
