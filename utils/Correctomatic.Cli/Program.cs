Console.Error.WriteLine("correctomatic: the operator CLI is not implemented yet (issue #8).");
return 1;
