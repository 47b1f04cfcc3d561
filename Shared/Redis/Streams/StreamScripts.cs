using StackExchange.Redis;

namespace Correctomatic.Shared.Redis.Streams;

/// <summary>
/// The queue's atomic steps. Each runs as one script, so it is atomic like MULTI/EXEC, and can also check that the entry
/// is still pending for THIS consumer: if another consumer reclaimed it meanwhile (we were slow, not dead), we neither
/// add it to the next stream a second time nor steal it back (issue #3: handed off exactly once).
/// <see cref="LuaScript.Prepare"/> sends EVALSHA and falls back to EVAL on NOSCRIPT (after a restart or SCRIPT FLUSH).
/// Lists travel as one JSON array argument (cjson.decode), as LuaScript maps one parameter to one value.
/// </summary>
internal static class StreamScripts
{
    /// <summary>
    /// Returns <c>{2, id}</c> handed off now, <c>{1, id}</c> already handed off by this consumer (an earlier run whose reply
    /// was lost: the marker says so, nothing is done twice), <c>{0}</c> not ours. The marker key outlives any retry.
    /// </summary>
    public static readonly LuaScript HandOff = LuaScript.Prepare("""
        local done = redis.call('GET', @marker)
        if done then
          local sep = string.find(done, ' ', 1, true)
          if string.sub(done, 1, sep - 1) == @consumer then return {1, string.sub(done, sep + 1)} end
          return {0}
        end
        local p = redis.call('XPENDING', @stream, @group, @id, @id, 1)
        if #p == 0 or p[1][2] ~= @consumer then return {0} end
        local id = redis.call('XADD', @next, '*', unpack(cjson.decode(@fields)))
        redis.call('XACK', @stream, @group, @id)
        redis.call('SET', @marker, @consumer .. ' ' .. id, 'PX', @markerMs)
        return {2, id}
        """);

    /// <summary>Resets the idle time of the ids (JSON array) still pending for this consumer; returns them. Running it twice is harmless.</summary>
    public static readonly LuaScript Renew = LuaScript.Prepare("""
        local owned = {}
        for _, id in ipairs(cjson.decode(@ids)) do
          local p = redis.call('XPENDING', @stream, @group, id, id, 1)
          if #p > 0 and p[1][2] == @consumer then
            redis.call('XCLAIM', @stream, @group, @consumer, 0, id, 'JUSTID')
            owned[#owned + 1] = id
          end
        end
        return owned
        """);

    /// <summary>The id of the n-th oldest entry, without sending n entries over the wire.</summary>
    public static readonly LuaScript NthOldestId = LuaScript.Prepare("""
        local r = redis.call('XRANGE', @stream, '-', '+', 'COUNT', @n)
        if #r == 0 then return false end
        return r[#r][1]
        """);

    public sealed record HandOffArgs(RedisKey stream, RedisKey next, RedisKey marker, string group, string id, string consumer, string fields, long markerMs);

    public sealed record RenewArgs(RedisKey stream, string group, string consumer, string ids);

    public sealed record NthArgs(RedisKey stream, long n);
}
