namespace Correctomatic.Shared.Redis.Connection;

internal sealed partial class RedisConnection
{
    /// <summary>
    /// Connects and logs in: AUTH (user and password, or password only), SELECT, CLIENT SETNAME, all within
    /// <see cref="RedisClientOptions.ConnectTimeout"/>. Refused credentials are not transient (no retry helps).
    /// </summary>
    public static async Task<RedisConnection> OpenAsync(RedisClientOptions options, string name, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var endpoint = options.Endpoint;
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        RedisConnection? connection = null;
        try
        {
            var (socket, stream) = await RedisTransportFactory.OpenAsync(options, linked.Token);
            connection = new RedisConnection(options, timeProvider, socket, stream, name);
            var login = new List<string[]>();
            if (endpoint.Password is not null)
            {
                login.Add(endpoint.User is null ? ["AUTH", endpoint.Password] : ["AUTH", endpoint.User, endpoint.Password]);
            }

            if (endpoint.Database != 0)
            {
                login.Add(["SELECT", endpoint.Database.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            login.Add(["CLIENT", "SETNAME", name]);
            var replies = connection.SendBatch(login);
            for (var i = 0; i < replies.Length; i++)
            {
                try
                {
                    await replies[i].WaitAsync(linked.Token);
                }
                catch (RedisServerException ex)
                {
                    var what = login[i][0] == "AUTH" ? "rejected the credentials (AUTH)" : $"refused {login[i][0]} {login[i][1]}";
                    throw new RedisConnectionException($"{endpoint} {what}: {ex.ServerMessage}", ex, isTransient: false);
                }
            }

            return connection;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            connection?.Fail(ex);
            throw new RedisConnectionException($"could not connect to {endpoint} within {options.ConnectTimeout.TotalSeconds:0.###} s (REDIS_CONNECT_TIMEOUT)", ex);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            connection?.Fail(ex);
            throw new RedisConnectionException($"could not connect to {endpoint}: {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            connection?.Fail(ex);
            throw;
        }
    }
}
