namespace Twine.Web.Client;

/// <summary>Where a <see cref="Response"/>'s body comes from: its connection, or a decoder over another body.</summary>
internal interface IResponseBody
{
    /// <summary>Starts delivering to <paramref name="protocol"/>; throws <see cref="InvalidOperationException"/> the second time.</summary>
    void Deliver(IResponseBodyProtocol protocol);
}
