using System.Net;
using System.Net.Sockets;

namespace Correctomatic.Notifier.Addressing;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the callback client: resolves the host itself, checks each
/// address with <see cref="CallbackAddressPolicy"/>, and connects only to an allowed one — the address actually used,
/// so a DNS answer that changes between a check and the connect (DNS rebinding) cannot slip past (issue #7).
/// </summary>
public sealed class GuardedConnector(CallbackAddressPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        string? refused = null;
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (policy.Check(address) is { } reason)
            {
                refused ??= reason;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null)
        {
            // An allowed address exists but did not answer: a network error, retried.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(lastError);
        }

        throw new CallbackAddressRefusedException($"callback host '{host}' refused: {refused}");
    }
}
