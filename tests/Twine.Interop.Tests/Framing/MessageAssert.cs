namespace Twine.Interop.Tests.Framing;

/// <summary>Byte-exact comparisons of message lists that report the first difference briefly (payloads can be 100 kB).</summary>
internal static class MessageAssert
{
    public static void Equal(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual, string context)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i].AsSpan().SequenceEqual(actual[i])) continue;
            int at = expected[i].AsSpan().CommonPrefixLength(actual[i]);
            Assert.Fail($"{context}: message {i} differs at byte {at}: expected {Describe(expected[i])}, got {Describe(actual[i])}.");
        }
        Assert.True(expected.Count == actual.Count,
            $"{context}: expected {expected.Count} messages, got {actual.Count}" +
            (actual.Count > expected.Count ? $"; the first extra one is {Describe(actual[expected.Count])}." : "."));
    }

    public static string Describe(byte[] payload) =>
        payload.Length <= 48 ? $"[{payload.Length}] {Convert.ToHexString(payload)}" : $"[{payload.Length}] {Convert.ToHexString(payload, 0, 24)}…";
}
