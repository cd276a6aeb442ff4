using System.CommandLine;
using WirelessNet.Simulators.Cli.Load;

var root = new RootCommand("WirelessNet simulators: drive a WirelessNet server with simulated gateways and devices.");
root.Subcommands.Add(LoadCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
