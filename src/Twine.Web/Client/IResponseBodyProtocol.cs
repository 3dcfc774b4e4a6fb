using Twine.Defer;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// Receives a response body from <see cref="Response.DeliverBody"/>, as a Twisted protocol given to
/// <c>IResponse.deliverBody</c>: <see cref="MakeConnection"/> first, with the producer that pauses and resumes the
/// connection (a slow consumer pauses it, so the server's data waits in the network, not in memory) or stops it (the
/// connection is dropped); then the data; then <see cref="ConnectionLost"/> once, with <see cref="ResponseDoneException"/>
/// when the body is complete or the error that cut it short (<see cref="PartialBodyException"/>,
/// <see cref="MalformedResponseException"/>...).
/// </summary>
/// <example>
/// <code>
/// sealed class Printer : IResponseBodyProtocol
/// {
///     public void MakeConnection(IPushProducer producer) { }
///     public void DataReceived(ReadOnlySpan&lt;byte&gt; data) => Console.Write(Encoding.UTF8.GetString(data));
///     public void ConnectionLost(Failure reason) =>
///         Console.WriteLine(reason.Check&lt;ResponseDoneException&gt;() ? "[done]" : "[failed: " + reason.GetErrorMessage() + "]");
/// }
/// response.DeliverBody(new Printer());
/// </code>
/// </example>
public interface IResponseBodyProtocol
{
    /// <summary>Delivery starts; <paramref name="producer"/> controls the flow of the body.</summary>
    void MakeConnection(IPushProducer producer);

    /// <summary>The next bytes of the (decoded, de-chunked) body.</summary>
    void DataReceived(ReadOnlySpan<byte> data);

    /// <summary>The body ended: <see cref="ResponseDoneException"/> when it is complete, otherwise the error.</summary>
    void ConnectionLost(Failure reason);
}
