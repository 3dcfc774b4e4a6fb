using Twine.Net;
using Twine.Web.Server;
using Twine.Web.Http;

namespace Twine.Web;

/// <summary>What a <see cref="Request"/> needs from the connection that received it: a place to write and a way to say it is done.</summary>
internal interface IRequestChannel
{
    ITransport Transport { get; }

    /// <summary>True once the connection is gone: writes are dropped.</summary>
    bool IsClosed { get; }

    /// <summary>The cached Date line.</summary>
    HttpDate Date { get; }

    /// <summary>Scratch space for formatting a response head.</summary>
    ByteWriter HeadWriter { get; }

    /// <summary>The response to <paramref name="request"/> is complete; the next one may start.</summary>
    void ResponseFinished(Request request);

    /// <summary>The receiver of <paramref name="request"/>'s streamed body wants no more for now: stop reading.</summary>
    void PauseBody(Request request);

    /// <summary>The receiver of <paramref name="request"/>'s streamed body is ready (again): read on.</summary>
    void ResumeBody(Request request);

    /// <summary>
    /// The 101 response to <paramref name="request"/> is written: from now on <paramref name="protocol"/> owns the
    /// connection (it is connected to the transport and gets every byte that follows the request).
    /// </summary>
    void SwitchProtocols(Request request, IProtocol protocol);
}
