metadata name = 'Shared types'
metadata description = 'Types every module shares.'

@export()
@description('Resource tags: names to string values.')
type resourceTags = {
  *: string
}
