namespace Correctomatic.Shared.Redis.Streams;

/// <summary>
/// The queue's atomic steps. Each runs as one script, so it is atomic like MULTI/EXEC, and can also check that the entry
/// is still pending for THIS consumer: if another consumer reclaimed it meanwhile (we were slow, not dead), we neither
/// add it to the next stream a second time nor steal it back (issue #3: handed off exactly once).
/// </summary>
internal static class StreamScripts
{
    /// <summary>KEYS: stream, next stream. ARGV: group, entry id, consumer, field, value, ... Returns the new id, or null if not ours.</summary>
    public static readonly RedisScript HandOff = new("""
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
        if #p == 0 or p[1][2] ~= ARGV[3] then return false end
        local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        return id
        """);

    /// <summary>KEYS: stream. ARGV: group, consumer, id, ... Resets the idle time of the ids still ours; returns them.</summary>
    public static readonly RedisScript Renew = new("""
        local owned = {}
        for i = 3, #ARGV do
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #p > 0 and p[1][2] == ARGV[2] then
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
            owned[#owned + 1] = ARGV[i]
          end
        end
        return owned
        """);

    /// <summary>KEYS: stream. ARGV: n. The id of the n-th oldest entry, without sending n entries over the wire.</summary>
    public static readonly RedisScript NthOldestId = new("""
        local r = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1])
        if #r == 0 then return false end
        return r[#r][1]
        """);
}
