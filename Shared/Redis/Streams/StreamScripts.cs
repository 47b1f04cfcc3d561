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

    /// <summary>
    /// The Lua body shared by the guarded read and reclaim (issue #15): for each entry of the table <c>entries</c>, one
    /// over @max bytes (all its field names and values) is added to @dead with the reason and its source, without its
    /// fields, and acknowledged — all inside the script, so the entry never crosses the wire and never blocks the entries
    /// behind it. It stays readable by id in its stream (XRANGE) until retention trims it. Returns the other entries.
    /// </summary>
    private const string GuardLua = """
        local kept, dead = {}, 0
        for _, e in ipairs(entries) do
          local f = e[2]
          if f then
            local size = 0
            for i = 1, #f do size = size + #f[i] end
            if size > tonumber(@max) then
              local names = {}
              for i = 1, #f, 2 do names[#names + 1] = string.sub(f[i], 1, 64) end
              redis.call('XADD', @dead, '*', 'reason',
                'the entry is ' .. size .. ' bytes, over QUEUE_MAX_ENTRY_BYTES=' .. @max .. ' (fields: ' .. table.concat(names, ', ') ..
                '); its fields stay readable by id in ' .. @stream .. ' until retention trims them',
                'source', @stream, 'source_id', e[1])
              redis.call('XACK', @stream, @group, e[1])
              dead = dead + 1
            else
              kept[#kept + 1] = e
            end
          end
        end
        """;

    /// <summary>
    /// XREADGROUP without BLOCK (scripts never block) through the size guard. Returns <c>{dead count, entries,
    /// last-delivered-id of the group}</c>; the caller blocks on XREAD from that id when nothing came.
    /// </summary>
    public static readonly LuaScript GuardedRead = LuaScript.Prepare("""
        local r = redis.call('XREADGROUP', 'GROUP', @group, @consumer, 'COUNT', @count, 'STREAMS', @stream, '>')
        local entries = {}
        if r then entries = r[1][2] end
        """ + "\n" + GuardLua + "\n" + """
        local last = '0-0'
        for _, g in ipairs(redis.call('XINFO', 'GROUPS', @stream)) do
          local info = {}
          for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
          if info['name'] == @group then last = info['last-delivered-id'] end
        end
        return {dead, kept, last}
        """);

    /// <summary>XAUTOCLAIM through the size guard. Returns <c>{dead count, entries, next cursor, deleted ids}</c>.</summary>
    public static readonly LuaScript GuardedReclaim = LuaScript.Prepare("""
        local r = redis.call('XAUTOCLAIM', @stream, @group, @consumer, @minIdle, @cursor, 'COUNT', @count)
        local entries = r[2]
        """ + "\n" + GuardLua + "\n" + """
        return {dead, kept, r[1], r[3] or {}}
        """);

    public sealed record GuardedReadArgs(RedisKey stream, RedisKey dead, string group, string consumer, long count, long max);

    public sealed record GuardedReclaimArgs(RedisKey stream, RedisKey dead, string group, string consumer, long minIdle, string cursor, long count, long max);

    public sealed record HandOffArgs(RedisKey stream, RedisKey next, RedisKey marker, string group, string id, string consumer, string fields, long markerMs);

    public sealed record RenewArgs(RedisKey stream, string group, string consumer, string ids);

    public sealed record NthArgs(RedisKey stream, long n);
}
