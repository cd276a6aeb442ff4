using System.CommandLine;
using WirelessNet.Simulators.Cli.Load;
using WirelessNet.Simulators.Cli.Offload;
using WirelessNet.Simulators.Cli.Poc;
using WirelessNet.Simulators.Cli.Runs;
using WirelessNet.Simulators.Cli.Worlds;

var root = new RootCommand("WirelessNet simulators: drive a WirelessNet server with simulated gateways and devices.");
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(WorldCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(OffloadLoadCommand.Create());
root.Subcommands.Add(OffloadCloseBenchCommand.Create());
root.Subcommands.Add(PocDayCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
