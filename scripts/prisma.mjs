console.log("prisma script placeholder")
