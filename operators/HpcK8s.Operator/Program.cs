// Placeholder until the host lands (Hosting/): keeps the project buildable for the image and chart work.
Console.Error.WriteLine("HpcK8s.Operator: the host is not wired yet");
return 1;
