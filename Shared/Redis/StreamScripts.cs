using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// The queue's atomic steps. A script is atomic like MULTI/EXEC and can also check that the entry is still pending for
/// THIS consumer: if another one reclaimed it meanwhile (we were slow, not dead), we neither add it to the next stream a
/// second time nor steal it back (issue #3). <see cref="LuaScript.Prepare"/> sends EVALSHA and falls back to EVAL on
/// NOSCRIPT (after a restart or SCRIPT FLUSH). Lists travel as one JSON array argument: LuaScript maps a parameter to one value.
/// </summary>
internal static class StreamScripts
{
    /// <summary>
    /// <c>{2, id}</c> handed off now; <c>{1, id}</c> handed off already by this consumer, in an earlier run whose reply was
    /// lost (the marker says so: nothing is done twice); <c>{0}</c> not ours.
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

    /// <summary>Resets the idle time of the ids still pending for this consumer and returns them; harmless to run twice.</summary>
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
    /// The size guard of the read and the reclaim (issue #15): an entry of <c>entries</c> over @max bytes (names and values)
    /// goes to @dead with the reason, without its fields, and is acknowledged, inside the script: it never crosses the wire
    /// nor blocks the entries behind it, and stays readable by id until retention trims it. <c>kept</c> is the rest.
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

    /// <summary>XREADGROUP (no BLOCK: scripts never block) through the guard: <c>{dead count, entries, the group's last-delivered-id}</c>.</summary>
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

    /// <summary>XAUTOCLAIM through the guard: <c>{dead count, entries, next cursor, deleted ids}</c>.</summary>
    public static readonly LuaScript GuardedReclaim = LuaScript.Prepare("""
        local r = redis.call('XAUTOCLAIM', @stream, @group, @consumer, @minIdle, @cursor, 'COUNT', @count)
        local entries = r[2]
        """ + "\n" + GuardLua + "\n" + """
        return {dead, kept, r[1], r[3] or {}}
        """);
}
