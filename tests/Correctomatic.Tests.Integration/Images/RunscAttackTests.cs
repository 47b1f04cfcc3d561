using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Images;

/// <summary>The attacks of issue #13 under gVisor (runsc, registered by utils/setup.sh): no Landlock, uid separation.</summary>
public sealed class RunscAttackTests(ITestOutputHelper output) : GraderAttackTests(output, "runsc");
