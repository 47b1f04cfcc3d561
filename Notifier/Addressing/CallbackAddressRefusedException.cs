namespace Correctomatic.Notifier.Addressing;

/// <summary>
/// Thrown from the connect callback when no resolved address of the callback host is allowed; HttpClient wraps it in an
/// HttpRequestException, and the sender turns it into a final outcome (retrying cannot change the policy).
/// </summary>
public sealed class CallbackAddressRefusedException(string message) : Exception(message);
