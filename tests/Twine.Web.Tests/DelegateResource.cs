namespace Twine.Web.Tests;

/// <summary>A leaf resource that renders every method with a delegate.</summary>
internal sealed class DelegateResource(Func<Request, RenderResult> render) : Resource
{
    public override bool IsLeaf => true;

    public override RenderResult Render(Request request) => render(request);
}
